import { RELATIONSHIP_TYPES } from '@osint/contracts/vocabularies';
import { useQuery } from '@tanstack/react-query';
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError, api } from '../api/client';
import { keys } from '../api/queries';
import { Button, bindValue, EmptyState, ErrorNote, QueryStatus, SelectField } from '../components/ui';
import { useSelectorPanel, useWorkspace } from './context';

/**
 * cytoscape adds an inline `<style id="__________cytoscape_stylesheet">` (its container rule) unless an
 * element with that id exists. The Content-Security-Policy refuses inline styles (docker/nginx/
 * osint-headers.conf), so the rule lives in styles.css and an empty marker takes the id.
 */
function claimCytoscapeStylesheet(): void {
  const id = '__________cytoscape_stylesheet';
  if (document.getElementById(id)) return;
  const marker = document.createElement('meta');
  marker.id = id;
  document.head.append(marker);
}

type NodeKind = 'selector' | 'entity' | 'document';
interface GraphNode {
  kind: NodeKind;
  id: string;
  label: string;
  type: string;
  depth: number | null;
}
interface GraphEdge {
  id: string;
  source: { kind: NodeKind; id: string };
  target: { kind: NodeKind; id: string };
  type: string;
  confidence: number;
}
interface GraphAnswer {
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}

const LAYOUTS = [
  { value: 'cose', label: 'Force-directed' },
  { value: 'breadthfirst', label: 'Hierarchy' },
  { value: 'concentric', label: 'Concentric' },
  { value: 'circle', label: 'Circle' },
  { value: 'grid', label: 'Grid' },
];
/** Nodes fetched for the whole-investigation view; the API caps one answer at 2 000. */
const OVERVIEW_LIMIT = 300;

/** Node colours by kind and selector family; the legend repeats them in words. */
const COLOURS: Record<string, string> = {
  network: '#2f7fd3',
  identity: '#c2407a',
  hash: '#7a5af5',
  finance: '#d08a0a',
  vuln: '#d3452f',
  entity: '#2a9d6f',
  document: '#7b8190',
};
function family(node: GraphNode): string {
  if (node.kind !== 'selector') return node.kind;
  if (['domain', 'ipv4', 'ipv6', 'url'].includes(node.type)) return 'network';
  if (['email', 'phone', 'username'].includes(node.type)) return 'identity';
  if (['md5', 'sha1', 'sha256', 'sha512'].includes(node.type)) return 'hash';
  if (['btc', 'eth'].includes(node.type)) return 'finance';
  return 'vuln';
}
const nodeKey = (kind: string, id: string) => `${kind}:${id}`;

function toElements(graph: GraphAnswer): ElementDefinition[] {
  const nodes = graph.nodes.map((n) => ({
    group: 'nodes' as const,
    data: {
      id: nodeKey(n.kind, n.id),
      label: n.label.length > 42 ? `${n.label.slice(0, 40)}…` : n.label,
      full: n.label,
      kind: n.kind,
      type: n.type,
      colour: COLOURS[family(n)],
    },
  }));
  const present = new Set(nodes.map((n) => n.data.id));
  const edges = graph.edges
    .filter(
      (e) =>
        present.has(nodeKey(e.source.kind, e.source.id)) && present.has(nodeKey(e.target.kind, e.target.id)),
    )
    .map((e) => ({
      group: 'edges' as const,
      data: {
        id: e.id,
        source: nodeKey(e.source.kind, e.source.id),
        target: nodeKey(e.target.kind, e.target.id),
        label: e.type,
        type: e.type,
      },
    }));
  return [...nodes, ...edges];
}

function merge(a: GraphAnswer, b: GraphAnswer): GraphAnswer {
  const nodes = new Map(a.nodes.map((n) => [nodeKey(n.kind, n.id), n]));
  for (const n of b.nodes) if (!nodes.has(nodeKey(n.kind, n.id))) nodes.set(nodeKey(n.kind, n.id), n);
  const edges = new Map(a.edges.map((e) => [e.id, e]));
  for (const e of b.edges) edges.set(e.id, e);
  return { nodes: [...nodes.values()], edges: [...edges.values()], truncated: a.truncated || b.truncated };
}

/** Layout options: cose is spread out a little more than its defaults so labels have room. */
function layoutOptions(name: string): cytoscape.LayoutOptions {
  const common = { name, animate: false, fit: true, padding: 40 };
  if (name === 'cose') {
    return {
      ...common,
      idealEdgeLength: () => 110,
      nodeRepulsion: () => 400_000,
      nodeOverlap: 40,
      componentSpacing: 120,
      gravity: 0.4,
    } as cytoscape.LayoutOptions;
  }
  if (name === 'breadthfirst')
    return { ...common, directed: true, spacingFactor: 1.3 } as cytoscape.LayoutOptions;
  return common as cytoscape.LayoutOptions;
}

/** `fit` zooms a small graph in until labels are huge: cap it at a size where labels read like text. */
function readableZoom(instance: Core) {
  if (instance.zoom() > 1.25) {
    instance.zoom(1.25);
    instance.center();
  }
}

function themeColour(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/**
 * The investigation as a graph (cytoscape): the whole investigation up to a node limit, or the
 * neighbourhood of one node; expand any node (double-click or the button), choose a layout, filter by
 * node kind and relationship type. Clicking a selector opens the same panel as the Selectors tab; the
 * list under the canvas offers the same actions from the keyboard.
 */
export default function GraphTab() {
  const { inv } = useWorkspace();
  const panel = useSelectorPanel();
  const [params] = useSearchParams();
  const focus = params.get('focus');
  const [relType, setRelType] = useState('');
  const [layout, setLayout] = useState('cose');
  const [depth, setDepth] = useState(2);
  const [kinds, setKinds] = useState<Record<NodeKind, boolean>>({
    selector: true,
    entity: true,
    document: true,
  });
  /** The overview of a young investigation is mostly unlinked selectors: hidden unless asked for. */
  const [unlinked, setUnlinked] = useState(false);
  /** Nodes added by expanding, on top of the base view they were expanded from. */
  const [expanded, setExpanded] = useState<{ from: GraphAnswer; graph: GraphAnswer } | null>(null);
  const [chosen, setChosen] = useState<GraphNode | null>(null);
  const [expandError, setExpandError] = useState<unknown>(null);
  const container = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  const laidOutWith = useRef(layout);

  const start = focus && /^(selector|entity|document):[0-9a-f-]{36}$/.test(focus) ? focus : null;
  const base = useQuery({
    queryKey: [...keys.scope(inv.id), 'graph', { start, depth, relType }],
    queryFn: ({ signal }) =>
      api.get('/investigations/{id}/graph', {
        path: { id: inv.id },
        query: start
          ? { start, depth, types: relType || undefined }
          : { limit: OVERVIEW_LIMIT, types: relType || undefined },
        signal,
      }),
  });

  const graph = useMemo(() => {
    // A new base view (filters, depth, refetch) drops what was expanded on top of the old one.
    const g = expanded && expanded.from === base.data ? expanded.graph : base.data;
    if (!g) return null;
    const linked = new Set(
      g.edges.flatMap((e) => [nodeKey(e.source.kind, e.source.id), nodeKey(e.target.kind, e.target.id)]),
    );
    const shown = g.nodes.filter((n) => kinds[n.kind]);
    const nodes = unlinked ? shown : shown.filter((n) => linked.has(nodeKey(n.kind, n.id)) || n.depth === 0);
    return { ...g, nodes, hiddenUnlinked: shown.length - nodes.length };
  }, [base.data, expanded, kinds, unlinked]);

  const expand = useCallback(
    async (node: GraphNode) => {
      setExpandError(null);
      try {
        const more = await api.get('/investigations/{id}/graph', {
          path: { id: inv.id },
          query: { start: nodeKey(node.kind, node.id), depth: 1, types: relType || undefined },
        });
        const from = base.data as GraphAnswer;
        setExpanded((prev) => ({ from, graph: merge(prev && prev.from === from ? prev.graph : from, more) }));
      } catch (error) {
        setExpandError(error);
      }
    },
    [inv.id, relType, base.data],
  );

  const runLayout = useCallback(() => {
    const instance = cy.current;
    if (!instance) return;
    instance.layout(layoutOptions(layout)).run();
    readableZoom(instance);
  }, [layout]);

  // Build (or rebuild) the canvas when the elements change.
  useEffect(() => {
    if (!container.current || !graph) return;
    const fg = themeColour('--fg', '#1b1c1f');
    const muted = themeColour('--muted', '#5b5f6a');
    const bg = themeColour('--card', '#ffffff');
    const accent = themeColour('--accent', '#2f5bd3');
    claimCytoscapeStylesheet();
    const instance = cytoscape({
      container: container.current,
      elements: toElements(graph),
      wheelSensitivity: 0.3,
      minZoom: 0.1,
      maxZoom: 3,
      style: [
        {
          selector: 'node',
          style: {
            'background-color': 'data(colour)',
            label: 'data(label)',
            color: fg,
            'font-size': 12,
            'text-valign': 'bottom',
            'text-margin-y': 4,
            'text-outline-color': bg,
            'text-outline-width': 2,
            width: 18,
            height: 18,
          },
        },
        { selector: 'node[kind = "document"]', style: { shape: 'round-rectangle', width: 22, height: 16 } },
        { selector: 'node[kind = "entity"]', style: { shape: 'diamond', width: 22, height: 22 } },
        {
          selector: 'node:selected',
          style: { 'border-width': 3, 'border-color': accent },
        },
        {
          selector: 'edge',
          style: {
            width: 1.2,
            'line-color': muted,
            'target-arrow-color': muted,
            'target-arrow-shape': 'triangle',
            'arrow-scale': 0.7,
            'curve-style': 'bezier',
            opacity: 0.6,
          },
        },
        {
          selector: 'edge[type != "mentions"]',
          style: { label: 'data(label)', 'font-size': 8, color: muted },
        },
      ],
      layout: layoutOptions(layoutRef.current),
    });
    readableZoom(instance);
    const lookup = new Map(graph.nodes.map((n) => [nodeKey(n.kind, n.id), n]));
    instance.on('tap', 'node', (e) => {
      const n = lookup.get(e.target.id());
      if (!n) return;
      setChosen(n);
      if (n.kind === 'selector') panel.open(n.id);
    });
    instance.on('dbltap', 'node', (e) => {
      const n = lookup.get(e.target.id());
      if (n) void expand(n);
    });
    laidOutWith.current = layoutRef.current;
    if (start) instance.$id(start).select();
    cy.current = instance;
    // e2e and debugging: what is drawn, without reading pixels.
    (window as unknown as { __osintGraph?: unknown }).__osintGraph = {
      nodes: () => instance.nodes().map((n) => n.data('full') as string),
    };
    return () => {
      instance.destroy();
      cy.current = null;
    };
  }, [graph, expand, panel.open, start]);

  // A layout change re-arranges the drawn graph (building it already laid it out once).
  useEffect(() => {
    if (laidOutWith.current === layout) return;
    laidOutWith.current = layout;
    runLayout();
  }, [layout, runLayout]);

  if (base.isError && base.error instanceof ApiError && base.error.missingRoute) {
    return (
      <EmptyState title="The graph view needs the API's graph endpoint, which this server does not offer yet.">
        <p>
          (<code>GET /api/v1/investigations/{'{id}'}/graph</code> answered 404.) The Selectors and Documents
          tabs show the same data as lists.
        </p>
      </EmptyState>
    );
  }

  return (
    <div className="graph-wrap">
      <div className="toolbar">
        <SelectField
          label="Relationships"
          {...bindValue(relType, setRelType)}
          options={[
            { value: '', label: 'All types' },
            ...RELATIONSHIP_TYPES.map((t) => ({ value: t, label: t })),
          ]}
        />
        <SelectField label="Layout" {...bindValue(layout, setLayout)} options={LAYOUTS} />
        {start ? (
          <SelectField
            label="Depth"
            value={String(depth)}
            onChange={(e) => setDepth(Number(e.target.value))}
            options={[1, 2, 3, 4, 5].map((d) => ({ value: String(d), label: `${d} hop${d > 1 ? 's' : ''}` }))}
          />
        ) : null}
        <fieldset className="kind-filter">
          <legend>Show</legend>
          {(['selector', 'entity', 'document'] as const).map((k) => (
            <label key={k} className="checkbox">
              <input
                type="checkbox"
                checked={kinds[k]}
                onChange={(e) => setKinds((prev) => ({ ...prev, [k]: e.target.checked }))}
              />
              {k === 'entity' ? 'entities' : `${k}s`}
            </label>
          ))}
          <label className="checkbox">
            <input type="checkbox" checked={unlinked} onChange={(e) => setUnlinked(e.target.checked)} />
            unlinked
          </label>
        </fieldset>
        <Button onClick={runLayout}>Re-run layout</Button>
        {chosen ? (
          <Button onClick={() => void expand(chosen)} variant="primary">
            Expand “{chosen.label.slice(0, 24)}”
          </Button>
        ) : null}
        {start ? <Link to="?">Whole investigation</Link> : null}
      </div>
      <div className="legend" aria-hidden="true">
        {Object.entries(COLOURS).map(([name, colour]) => (
          <span key={name}>
            <span className="legend-dot" style={{ background: colour }} />
            {name}
          </span>
        ))}
        <span>· click a node to open it, double-click to expand</span>
      </div>
      <QueryStatus query={base} label="Loading the graph…" retry />
      <ErrorNote error={expandError} />
      {graph && graph.nodes.length === 0 ? (
        <EmptyState title="Nothing to draw yet.">
          <Link to="../ingest">Ingest a report</Link>: its selectors and the documents that mention them
          appear here.
        </EmptyState>
      ) : null}
      {graph && graph.hiddenUnlinked > 0 ? (
        <p className="muted">
          {graph.hiddenUnlinked} node{graph.hiddenUnlinked === 1 ? '' : 's'} without relationships hidden
          (tick “unlinked” to show them).
        </p>
      ) : null}
      {graph?.truncated ? (
        <p className="notice notice-warn">
          The graph was cut at the node limit: start from one node (open a selector and choose “Show in
          graph”) to see its full neighbourhood.
        </p>
      ) : null}
      <div
        ref={container}
        className="graph-canvas"
        data-testid="graph-canvas"
        role="img"
        aria-label={`Graph of ${graph?.nodes.length ?? 0} nodes and ${graph?.edges.length ?? 0} relationships`}
        hidden={!graph || graph.nodes.length === 0}
      />
      {graph && graph.nodes.length > 0 ? (
        <NodeList graph={graph} onOpen={panel.open} onExpand={expand} />
      ) : null}
    </div>
  );
}

/** The canvas as a list, for keyboards and screen readers. */
function NodeList({
  graph,
  onOpen,
  onExpand,
}: {
  graph: GraphAnswer;
  onOpen: (id: string) => void;
  onExpand: (n: GraphNode) => void;
}) {
  return (
    <details data-testid="graph-node-list">
      <summary>
        {graph.nodes.length} nodes, {graph.edges.length} relationships (as a list)
      </summary>
      <ul className="plain-list">
        {graph.nodes.map((n) => (
          <li key={nodeKey(n.kind, n.id)}>
            <span className="badge type-badge">{n.type.split(';')[0]}</span>{' '}
            {n.kind === 'selector' ? (
              <button type="button" className="value-link" onClick={() => onOpen(n.id)}>
                {n.label}
              </button>
            ) : (
              <span>{n.label}</span>
            )}{' '}
            <Button className="btn-small" variant="ghost" onClick={() => onExpand(n)}>
              Expand
            </Button>
          </li>
        ))}
      </ul>
    </details>
  );
}

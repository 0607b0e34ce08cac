import type { Database } from '@osint/db';
import { sql } from 'drizzle-orm';
import type { ApiDeps } from '../deps.js';
import { requireRole } from '../investigations/access.js';
import { NotFoundError } from '../shared/errors.js';
import { EDGES_PER_NODE, type GraphQuery } from './graph.schema.js';

type Kind = 'selector' | 'entity' | 'document';
interface NodeRef {
  kind: Kind;
  id: string;
}
type EdgeRow = {
  id: string;
  source_kind: Kind;
  source_id: string;
  target_kind: Kind;
  target_id: string;
  type: string;
  confidence: number;
};

const keyOf = (kind: string, id: string) => `${kind}:${id}`;

function typeFilter(types: readonly string[] | undefined) {
  return types
    ? sql`and r.type = any(${sql`array[${sql.join(
        types.map((t) => sql`${t}`),
        sql`, `,
      )}]::relationship_type[]`})`
    : sql``;
}

/** Which edges to read: of one investigation, around `nodes`, of `types` (all when undefined), `cap` + 1 at most. */
interface EdgeQuery {
  investigationId: string;
  nodes: NodeRef[];
  types: string[] | undefined;
  cap: number;
}

/** Edges touching any of `nodes`, both directions; each direction uses its own index (edge key / target). */
async function edgesTouching(db: Database, { investigationId, nodes, types, cap }: EdgeQuery) {
  const json = JSON.stringify(nodes);
  const rows = await db.execute<EdgeRow & { created_at: string }>(sql`
    select * from (
      select r.id, r.source_kind, r.source_id, r.target_kind, r.target_id, r.type, r.confidence, r.created_at
      from jsonb_to_recordset(${json}::jsonb) as f(kind object_kind, id uuid)
      join relationships r on r.investigation_id = ${investigationId} and r.source_kind = f.kind and r.source_id = f.id
      where true ${typeFilter(types)}
      union
      select r.id, r.source_kind, r.source_id, r.target_kind, r.target_id, r.type, r.confidence, r.created_at
      from jsonb_to_recordset(${json}::jsonb) as f(kind object_kind, id uuid)
      join relationships r on r.investigation_id = ${investigationId} and r.target_kind = f.kind and r.target_id = f.id
      where true ${typeFilter(types)}
    ) e
    order by e.created_at, e.id
    limit ${cap + 1}`);
  return [...rows];
}

/** Edges with both ends among `nodes`. */
async function edgesAmong(db: Database, { investigationId, nodes, types, cap }: EdgeQuery) {
  const json = JSON.stringify(nodes);
  const rows = await db.execute<EdgeRow>(sql`
    with n as (select * from jsonb_to_recordset(${json}::jsonb) as f(kind object_kind, id uuid))
    select r.id, r.source_kind, r.source_id, r.target_kind, r.target_id, r.type, r.confidence
    from relationships r
    join n s on s.kind = r.source_kind and s.id = r.source_id
    join n t on t.kind = r.target_kind and t.id = r.target_id
    where r.investigation_id = ${investigationId} ${typeFilter(types)}
    order by r.created_at, r.id
    limit ${cap + 1}`);
  return [...rows];
}

/** Labels for nodes, checking they belong to the investigation (a selector through its link row). */
async function describe(db: Database, investigationId: string, nodes: NodeRef[]) {
  const byKind = (kind: Kind) => JSON.stringify(nodes.filter((n) => n.kind === kind).map((n) => n.id));
  const rows = await db.execute<{ kind: Kind; id: string; label: string; type: string }>(sql`
    select 'selector' as kind, s.id, s.value as label, s.type::text as type
    from jsonb_array_elements_text(${byKind('selector')}::jsonb) w(id)
    join investigation_selectors isel on isel.selector_id = w.id::uuid and isel.investigation_id = ${investigationId}
    join selectors s on s.id = isel.selector_id
    union all
    select 'entity', e.id, e.label, e.kind::text
    from jsonb_array_elements_text(${byKind('entity')}::jsonb) w(id)
    join entities e on e.id = w.id::uuid and e.investigation_id = ${investigationId}
    union all
    select 'document', d.id, d.title, d.media_type
    from jsonb_array_elements_text(${byKind('document')}::jsonb) w(id)
    join documents d on d.id = w.id::uuid and d.investigation_id = ${investigationId}`);
  return new Map([...rows].map((r) => [keyOf(r.kind, r.id), r]));
}

/** Up to `limit` nodes of the whole investigation: nodes with edges first (oldest edge first), then the rest. */
async function wholeInvestigation(db: Database, investigationId: string, limit: number) {
  const rows = await db.execute<{ kind: Kind; id: string }>(sql`
    with ends as (
      select source_kind as kind, source_id as id, created_at from relationships where investigation_id = ${investigationId}
      union all
      select target_kind, target_id, created_at from relationships where investigation_id = ${investigationId}
    ),
    linked as (select kind, id, min(created_at) as t from ends group by kind, id),
    everything as (
      select 'selector'::object_kind as kind, selector_id as id, created_at as t from investigation_selectors
        where investigation_id = ${investigationId}
      union all select 'entity', id, created_at from entities where investigation_id = ${investigationId}
      union all select 'document', id, created_at from documents where investigation_id = ${investigationId}
    )
    select kind, id from (
      select kind, id, 0 as p, t from linked
      union all
      select e.kind, e.id, 1, e.t from everything e
        where not exists (select 1 from linked l where l.kind = e.kind and l.id = e.id)
    ) x
    order by p, t, id
    limit ${limit + 1}`);
  return [...rows];
}

/**
 * The investigation as a graph for the UI: nodes (selectors, entities, documents) and edges
 * (relationships). From a start node, a breadth-first walk over edges in both directions, one indexed
 * query per level, up to `depth` hops and `limit` nodes; without one, the first `limit` nodes (connected
 * ones first). Edges are bounded too (EDGES_PER_NODE × limit). `truncated` says whether a bound cut
 * anything, so the UI can offer "expand".
 */
export async function investigationGraph(
  deps: ApiDeps,
  userId: string,
  investigationId: string,
  query: GraphQuery,
) {
  await requireRole(deps.db, userId, investigationId, 'viewer');
  const db = deps.db;
  const edgeCap = query.limit * EDGES_PER_NODE;
  let truncated = false;
  const depthOf = new Map<string, number | null>();
  const nodes: NodeRef[] = [];

  if (query.start) {
    const start = query.start as NodeRef;
    const known = await describe(db, investigationId, [start]);
    if (!known.has(keyOf(start.kind, start.id))) throw new NotFoundError(start.kind);
    nodes.push(start);
    depthOf.set(keyOf(start.kind, start.id), 0);
    let frontier: NodeRef[] = [start];
    for (let level = 1; level <= query.depth && frontier.length > 0; level++) {
      const edges = await edgesTouching(db, {
        investigationId,
        nodes: frontier,
        types: query.types,
        cap: edgeCap,
      });
      if (edges.length > edgeCap) truncated = true;
      const next: NodeRef[] = [];
      for (const e of edges.slice(0, edgeCap)) {
        for (const end of [
          { kind: e.source_kind, id: e.source_id },
          { kind: e.target_kind, id: e.target_id },
        ]) {
          const key = keyOf(end.kind, end.id);
          if (depthOf.has(key)) continue;
          if (nodes.length >= query.limit) {
            truncated = true;
            continue;
          }
          depthOf.set(key, level);
          nodes.push(end);
          next.push(end);
        }
      }
      frontier = next;
    }
    // Nodes at the last level may have further neighbours: say so, so the UI can offer to go deeper.
    if (!truncated && frontier.length > 0) {
      const beyond = await edgesTouching(db, {
        investigationId,
        nodes: frontier,
        types: query.types,
        cap: edgeCap,
      });
      truncated = beyond.some(
        (e) =>
          !depthOf.has(keyOf(e.source_kind, e.source_id)) || !depthOf.has(keyOf(e.target_kind, e.target_id)),
      );
    }
  } else {
    const rows = await wholeInvestigation(db, investigationId, query.limit);
    if (rows.length > query.limit) truncated = true;
    for (const r of rows.slice(0, query.limit)) {
      nodes.push({ kind: r.kind, id: r.id });
      depthOf.set(keyOf(r.kind, r.id), null);
    }
  }

  const edges =
    nodes.length === 0
      ? []
      : await edgesAmong(db, { investigationId, nodes, types: query.types, cap: edgeCap });
  if (edges.length > edgeCap) truncated = true;
  const labels = await describe(db, investigationId, nodes);
  return {
    start: query.start ?? null,
    depth: query.depth,
    limit: query.limit,
    nodes: nodes.flatMap((n) => {
      const info = labels.get(keyOf(n.kind, n.id));
      return info
        ? [
            {
              kind: n.kind,
              id: n.id,
              label: info.label,
              type: info.type,
              depth: depthOf.get(keyOf(n.kind, n.id)) ?? null,
            },
          ]
        : [];
    }),
    edges: edges.slice(0, edgeCap).map((e) => ({
      id: e.id,
      source: { kind: e.source_kind, id: e.source_id },
      target: { kind: e.target_kind, id: e.target_id },
      type: e.type,
      confidence: e.confidence,
    })),
    truncated,
  };
}

import { OBJECT_KINDS, RELATIONSHIP_TYPES } from '@osint/contracts';
import { z } from 'zod';

/** A graph node is what a relationship end can be; edges are relationships (one vocabulary for both). */
export const NODE_KINDS = OBJECT_KINDS;
/** Bounds for one graph answer: enough for a readable view, small enough for one request. */
export const MAX_GRAPH_NODES = 2_000;
export const MAX_GRAPH_DEPTH = 5;
/** Edges per node kept at most (dense neighbourhoods are cut and flagged `truncated`). */
export const EDGES_PER_NODE = 5;

const nodeRef = z.object({ kind: z.enum(NODE_KINDS), id: z.uuid() });

export const graphQuery = z.strictObject({
  start: z
    .string()
    .max(100)
    .transform((v, ctx) => {
      const [kind, id, extra] = v.split(':');
      const parsed = nodeRef.safeParse({ kind, id });
      if (!parsed.success || extra !== undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be <selector|entity|document>:<uuid>' });
        return z.NEVER;
      }
      return parsed.data;
    })
    .optional()
    .meta({ description: 'Starting node `kind:id`; without it, the whole investigation up to `limit`.' }),
  depth: z.coerce
    .number({ error: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_GRAPH_DEPTH, `must be at most ${MAX_GRAPH_DEPTH}`)
    .default(2),
  limit: z.coerce
    .number({ error: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_GRAPH_NODES, `must be at most ${MAX_GRAPH_NODES}`)
    .default(500),
  types: z
    .string()
    .max(200)
    .transform((v, ctx) => {
      const list = v
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const bad = list.filter((t) => !(RELATIONSHIP_TYPES as readonly string[]).includes(t));
      if (bad.length > 0 || list.length === 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a comma-separated list of ${RELATIONSHIP_TYPES.join(', ')}`,
        });
        return z.NEVER;
      }
      return list as Array<(typeof RELATIONSHIP_TYPES)[number]>;
    })
    .optional()
    .meta({ description: 'Only follow and return relationships of these types (comma-separated).' }),
});
export type GraphQuery = z.output<typeof graphQuery>;

export const graphSchema = z
  .object({
    start: nodeRef.nullable(),
    depth: z.number().int(),
    limit: z.number().int(),
    nodes: z.array(
      z.object({
        kind: z.enum(NODE_KINDS),
        id: z.uuid(),
        label: z.string(),
        type: z.string().meta({ description: 'Selector type, entity kind, or document media type.' }),
        depth: z.number().int().nullable().meta({ description: 'Hops from `start` (null without a start).' }),
      }),
    ),
    edges: z.array(
      z.object({
        id: z.uuid(),
        source: nodeRef,
        target: nodeRef,
        type: z.enum(RELATIONSHIP_TYPES),
        confidence: z.number().int(),
      }),
    ),
    truncated: z.boolean().meta({ description: 'True when the node limit or the edge bound cut the graph.' }),
  })
  .meta({ id: 'Graph' });

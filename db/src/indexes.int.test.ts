import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../tests/support/test-env.js';
import { seedId } from './seed/ids.js';
import { seedDevelopment } from './seed.js';

/**
 * Each query docs/decisions/0004-indexing-strategy.md promises an index for, with that index. On the small
 * seeded data set PostgreSQL would rightly prefer sequential scans, so they are switched off: the test asks
 * "can and does the planner use this index for this query shape", which is what breaks when a column order
 * or an index is changed without updating the ADR.
 */

const { client } = await createTestDatabase();
await seedDevelopment(client.db);

const inv = seedId('investigation', 'paper-lantern');
const [anySelector] = await client.sql<{ id: string }[]>`
  select selector_id as id from investigation_selectors where investigation_id = ${inv} limit 1`;
const selector = anySelector?.id ?? '';
const [anyDocument] = await client.sql<{ id: string }[]>`select id from documents limit 1`;
const document = anyDocument?.id ?? '';

const CASES: [index: string, query: string][] = [
  ['users_email_lower_key', `select id from users where lower(email) = lower('Alice@Example.com')`],
  ['api_tokens_token_hash_key', `select id from api_tokens where token_hash = '${'0'.repeat(64)}'`],
  ['sessions_expires_idx', `select id from sessions where expires_at < now()`],
  [
    'memberships_user_idx',
    `select investigation_id from memberships where user_id = '${seedId('user', 'bob')}'`,
  ],
  [
    'memberships_investigation_id_user_id_pk',
    `select user_id, role from memberships where investigation_id = '${inv}'`,
  ],
  ['investigations_created_idx', `select id from investigations order by created_at desc, id desc limit 20`],
  [
    'selectors_type_value_key',
    `select id from selectors where type = 'domain' and value = 'login.example.com'`,
  ],
  [
    'selectors_type_value_key',
    `select id from selectors where type = any(array['domain', 'url']::selector_type[]) and value = any(array['login.example.com'])`,
  ],
  ['selectors_value_trgm_idx', `select id from selectors where value ilike '%lantern%'`],
  [
    'investigation_selectors_page_idx',
    `select id from investigation_selectors where investigation_id = '${inv}'
       and (created_at, id) > ('2026-10-01T00:00:00Z', '00000000-0000-0000-0000-000000000000')
       order by created_at, id limit 50`,
  ],
  [
    'investigation_selectors_selector_idx',
    `select investigation_id from investigation_selectors where selector_id = '${selector}' and investigation_id <> '${inv}'`,
  ],
  [
    'investigation_selector_tags_page_idx',
    `select link_id from investigation_selector_tags where investigation_id = '${inv}' and tag = 'phishing'
       order by created_at desc, link_id desc limit 50`,
  ],
  [
    'documents_page_idx',
    `select id from documents where investigation_id = '${inv}' order by created_at desc, id desc limit 20`,
  ],
  [
    'documents_search_idx',
    `select id from documents where search_vector @@ websearch_to_tsquery('simple', 'landing page')`,
  ],
  [
    'mentions_document_selector_start_key',
    `select start_offset from mentions where document_id = '${document}'`,
  ],
  ['mentions_selector_idx', `select document_id from mentions where selector_id = '${selector}'`],
  [
    'entities_page_idx',
    `select id from entities where investigation_id = '${inv}' order by created_at, id limit 20`,
  ],
  [
    'relationships_edge_key',
    `select id from relationships where investigation_id = '${inv}' and source_kind = 'selector' and source_id = '${selector}'`,
  ],
  [
    'relationships_target_idx',
    `select id from relationships where investigation_id = '${inv}' and target_kind = 'selector' and target_id = '${selector}'`,
  ],
  [
    'relationships_page_idx',
    `select id from relationships where investigation_id = '${inv}' order by created_at, id limit 20`,
  ],
  [
    'notes_page_idx',
    `select id from notes where investigation_id = '${inv}' order by created_at, id limit 20`,
  ],
  [
    'notes_target_idx',
    `select id from notes where investigation_id = '${inv}' and target_kind = 'selector' and target_id = '${selector}'`,
  ],
  [
    'jobs_investigation_idx',
    `select id from jobs where investigation_id = '${inv}' order by created_at desc limit 20`,
  ],
  ['jobs_running_lease_idx', `select id from jobs where status = 'running' and lease_expires_at < now()`],
  ['enrichment_results_expires_idx', `select selector_id from enrichment_results where expires_at < now()`],
  [
    'audit_events_investigation_idx',
    `select id from audit_events where investigation_id = '${inv}' order by id desc limit 50`,
  ],
  [
    'audit_events_object_idx',
    `select id from audit_events where object_type = 'investigation' and object_id = '${inv}' order by id desc limit 50`,
  ],
  [
    'audit_events_actor_idx',
    `select id from audit_events where actor_id = '${seedId('user', 'bob')}' order by id desc limit 50`,
  ],
  ['audit_events_at_brin_idx', `select id from audit_events where at >= '2026-10-01' and at < '2026-11-01'`],
];

/** Every index name in a JSON plan. */
function indexesIn(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(indexesIn);
  if (plan === null || typeof plan !== 'object') return [];
  const node = plan as Record<string, unknown>;
  const own = typeof node['Index Name'] === 'string' ? [node['Index Name']] : [];
  return [...own, ...Object.values(node).flatMap(indexesIn)];
}

describe('documented queries use their index', () => {
  it.each(CASES)('%s', async (index, query) => {
    const plan = await client.sql.begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      const [row] = await tx.unsafe(`explain (format json) ${query}`);
      return (row as unknown as { 'QUERY PLAN': unknown })['QUERY PLAN'];
    });
    expect(indexesIn(plan), JSON.stringify(plan)).toContain(index);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import type { Database } from '@osint/db';
import { sql } from 'drizzle-orm';

/**
 * Shared by the export memory test (tests/integration/export-memory.test.ts) and the export benchmark
 * (scripts/bench/export.ts): bulk selectors for an investigation, and a sampler of a process's resident
 * memory read from /proc (Linux).
 */

/** Adds `count` domain selectors (tagged, with notes) to the investigation in one set-based statement. */
export async function seedSelectors(
  db: Database,
  investigationId: string,
  userId: string,
  count: number,
  tag: string,
) {
  await db.execute(sql`
    with s as (
      insert into selectors (type, value)
      select 'domain', 'host-' || g || '.' || ${tag} || '.example'
      from generate_series(1, ${count}) g
      on conflict (type, value) do update set type = excluded.type
      returning id, value
    )
    insert into investigation_selectors (investigation_id, selector_id, source, tags, note, added_by,
                                         display_value, attributes)
    select ${investigationId}, id, 'manual', array['bench', 'batch-' || (abs(hashtext(id::text)) % 10)],
           'seeded for the export benchmark', ${userId},
           value, jsonb_build_object('registrableDomain', ${tag} || '.example')
    from s
    on conflict do nothing`);
}

export const procAvailable = () => existsSync('/proc/self/status');

/** VmRSS and VmHWM (peak resident set) of a process, in KiB. */
export function readMemory(pid: number): { rssKb: number; hwmKb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

/** Samples VmRSS every `intervalMs` until stopped; returns the peak seen and the process's VmHWM. */
export function sampleMemory(pid: number, intervalMs = 20) {
  let peakKb = readMemory(pid).rssKb;
  const timer = setInterval(() => {
    try {
      peakKb = Math.max(peakKb, readMemory(pid).rssKb);
    } catch {
      // the process is gone
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const last = readMemory(pid);
      return { peakRssKb: Math.max(peakKb, last.rssKb), hwmKb: last.hwmKb };
    },
  };
}

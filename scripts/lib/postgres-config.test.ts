import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryBytes, nativeServerSettings, POSTGRES_CONF, parsePostgresConf } from './postgres-config.js';

describe('parsePostgresConf', () => {
  it('reads key = value, key value, quotes, doubled quotes and trailing comments', () => {
    expect(
      parsePostgresConf(
        [
          '# comment',
          '',
          "shared_preload_libraries = 'pg_stat_statements'   # why",
          'work_mem = 8MB # per node',
          "log_line_prefix = '%m [%p] it''s # not a comment '",
          'jit off',
          'Max_Connections=100',
        ].join('\n'),
      ),
    ).toEqual({
      shared_preload_libraries: 'pg_stat_statements',
      work_mem: '8MB',
      log_line_prefix: "%m [%p] it's # not a comment ",
      jit: 'off',
      max_connections: '100',
    });
  });

  it('refuses what it cannot read instead of guessing', () => {
    expect(() => parsePostgresConf("a = 'open")).toThrow(/line 1: unterminated quote/);
    expect(() => parsePostgresConf('= 3')).toThrow(/line 1: cannot parse/);
    expect(() => parsePostgresConf("include 'other.conf'")).toThrow(/not supported/);
  });

  it('every line of docker/postgres/postgresql.conf carries a reason', () => {
    const text = readFileSync(POSTGRES_CONF, 'utf8');
    const settingLines = text.split('\n').filter((l) => /^[a-z_.]+\s*=/.test(l));
    expect(settingLines.length).toBeGreaterThan(40);
    expect(settingLines.filter((l) => !/#\s*\S/.test(l.replace(/'[^']*'/g, '')))).toEqual([]);
    const conf = parsePostgresConf(text);
    expect(conf).toMatchObject({
      shared_preload_libraries: 'pg_stat_statements',
      log_min_duration_statement: '250ms',
      max_connections: '100',
      synchronous_commit: 'on',
    });
  });
});

describe('nativeServerSettings', () => {
  const conf = parsePostgresConf(readFileSync(POSTGRES_CONF, 'utf8'));

  it('drops the keys the native provider owns and keeps everything else', () => {
    const s = nativeServerSettings(conf, { totalMemory: 16 * 1024 ** 3 });
    expect(s.listen_addresses).toBeUndefined();
    expect(s.port).toBeUndefined();
    expect(s.logging_collector).toBeUndefined();
    expect(s.shared_buffers).toBe('256MB');
    expect(Object.keys(s).length).toBe(Object.keys(conf).length - 3);
  });

  it('skips a preload library the binaries do not ship, and its settings, with a note', () => {
    const notes: string[] = [];
    const s = nativeServerSettings(conf, { libDir: '/nonexistent', onNote: (n) => notes.push(n) });
    expect(s.shared_preload_libraries).toBe('');
    expect(Object.keys(s).filter((k) => k.startsWith('pg_stat_statements.'))).toEqual([]);
    expect(notes.join('\n')).toMatch(/not preloading pg_stat_statements/);
  });

  it('caps memory on a small machine', () => {
    const notes: string[] = [];
    const s = nativeServerSettings(conf, { totalMemory: 1024 ** 3, onNote: (n) => notes.push(n) });
    expect(s.shared_buffers).toBe('128MB');
    expect(s.effective_cache_size).toBe('256MB');
    expect(notes).toHaveLength(2);
  });

  it('memoryBytes understands PostgreSQL units only', () => {
    expect(memoryBytes('8MB')).toBe(8 * 1024 ** 2);
    expect(memoryBytes('1GB')).toBe(1024 ** 3);
    expect(memoryBytes('64kB')).toBe(65536);
    expect(memoryBytes('on')).toBeUndefined();
  });
});

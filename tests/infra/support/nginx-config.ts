/**
 * Static reading of the web image's nginx configuration (docker/nginx/*.conf): which location serves a
 * URI, with which directives (its own plus its `include`s), and the size limits. Pure: text in, findings
 * out, so every check can be shown to fire on a broken copy. tests/infra/nginx.test.ts uses it.
 */

export interface NginxLocation {
  /** '' (prefix), '=' (exact), '^~' (prefix, no regex), '~' / '~*' (regex). */
  modifier: string;
  pattern: string;
  /**
   * Directive name → its arguments, includes expanded (the last occurrence wins); `proxy_set_header` is
   * keyed by header too (`proxy_set_header x-forwarded-for` → `$remote_addr`).
   */
  directives: Map<string, string>;
}

const strip = (text: string) => text.replace(/#.*$/gm, '');

/** The top-level `location` blocks of the `server` block (nginx.conf has one), includes expanded. */
export function locations(nginxConf: string, includes: Record<string, string>): NginxLocation[] {
  const text = strip(nginxConf);
  const result: NginxLocation[] = [];
  const re = /location\s+(=|\^~|~\*|~)?\s*(\S+)\s*\{([^{}]*)\}/g;
  for (const m of text.matchAll(re)) {
    const directives = new Map<string, string>();
    const add = (body: string) => {
      for (const statement of body.split(';')) {
        const [name, ...args] = statement.trim().split(/\s+/);
        if (!name) continue;
        if (name === 'include') {
          const file = args[0]?.split('/').pop() ?? '';
          const included = includes[file];
          if (included === undefined) throw new Error(`include of unknown file ${args[0]}`);
          add(strip(included));
        } else if (name === 'proxy_set_header') {
          directives.set(`${name} ${args[0]?.toLowerCase()}`, args.slice(1).join(' '));
        } else directives.set(name, args.join(' '));
      }
    };
    add(m[3] ?? '');
    result.push({ modifier: m[1] ?? '', pattern: m[2] ?? '', directives });
  }
  return result;
}

/**
 * The location nginx picks for a URI (ngx_http_core_module "location"): an exact match; else the longest
 * prefix, final if it is `^~`; else the first regex in file order that matches; else that longest prefix.
 */
export function selectLocation(all: NginxLocation[], uri: string): NginxLocation | undefined {
  const exact = all.find((l) => l.modifier === '=' && l.pattern === uri);
  if (exact) return exact;
  const prefixes = all
    .filter((l) => (l.modifier === '' || l.modifier === '^~') && uri.startsWith(l.pattern))
    .sort((a, b) => b.pattern.length - a.pattern.length);
  const longest = prefixes[0];
  if (longest?.modifier === '^~') return longest;
  const regex = all.find(
    (l) =>
      (l.modifier === '~' || l.modifier === '~*') &&
      new RegExp(l.pattern, l.modifier === '~*' ? 'i' : '').test(uri),
  );
  return regex ?? longest;
}

/** An nginx size ("12m", "512k", "1g", "1048576") in bytes; NaN when malformed. */
export function nginxSize(value: string | undefined): number {
  const m = /^(\d+)([kKmMgG]?)$/.exec(value ?? '');
  if (!m) return Number.NaN;
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase()] ?? Number.NaN;
  return Number(m[1]) * scale;
}

/** An nginx time ("60s", "1h", "5m", "30") in seconds; NaN when malformed. */
export function nginxSeconds(value: string | undefined): number {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(value ?? '');
  if (!m) return Number.NaN;
  const scale = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2] ?? 's'] ?? Number.NaN;
  return Number(m[1]) * scale;
}

/** The least a stream must be allowed to stay silent: several of the API's 15 s heartbeats. */
export const MIN_STREAM_READ_TIMEOUT_S = 600;

/**
 * API routes proxied by `location`: every body the API accepts (the largest of its limits) passes nginx,
 * so the API answers 413 itself, and nginx's own limit is a backstop at most 25 % above it; every
 * Server-Sent Events route is unbuffered with a long read timeout; ordinary API routes keep a short one.
 */
export function nginxProxyErrors(
  all: NginxLocation[],
  opts: { bodyLimits: Record<string, number>; streamUris: string[]; plainUris: string[] },
): string[] {
  const errors: string[] = [];
  const [largestName, largest] = Object.entries(opts.bodyLimits).sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  for (const uri of [...opts.streamUris, ...opts.plainUris]) {
    const loc = selectLocation(all, uri);
    if (!loc?.directives.has('proxy_pass')) {
      errors.push(`${uri}: not proxied to the API`);
      continue;
    }
    // The API trusts exactly one hop (TRUST_PROXY_HOPS=1): appending ($proxy_add_x_forwarded_for) or passing
    // the client's header on would let the client choose the address the API records.
    const forwardedFor = loc.directives.get('proxy_set_header x-forwarded-for');
    if (forwardedFor !== '$remote_addr')
      errors.push(`${uri}: X-Forwarded-For must be set to $remote_addr, not ${forwardedFor ?? 'passed on'}`);
    const body = nginxSize(loc.directives.get('client_max_body_size') ?? '1m');
    if (!(body >= largest))
      errors.push(`${uri}: client_max_body_size ${body} bytes is below ${largestName} (${largest})`);
    else if (body > largest * 1.25)
      errors.push(`${uri}: client_max_body_size ${body} bytes is far above ${largestName} (${largest})`);
  }
  for (const uri of opts.streamUris) {
    const loc = selectLocation(all, uri);
    if (!loc) continue;
    if (loc.directives.get('proxy_buffering') !== 'off')
      errors.push(`${uri}: an event stream is buffered (needs proxy_buffering off)`);
    const timeout = nginxSeconds(loc.directives.get('proxy_read_timeout') ?? '60s');
    if (!(timeout >= MIN_STREAM_READ_TIMEOUT_S))
      errors.push(`${uri}: proxy_read_timeout ${timeout}s is shorter than ${MIN_STREAM_READ_TIMEOUT_S}s`);
  }
  for (const uri of opts.plainUris) {
    const loc = selectLocation(all, uri);
    if (!loc) continue;
    if (loc.directives.get('proxy_buffering') === 'off')
      errors.push(`${uri}: ordinary API responses should stay buffered (only event streams are not)`);
    const timeout = nginxSeconds(loc.directives.get('proxy_read_timeout') ?? '60s');
    if (timeout > 120) errors.push(`${uri}: proxy_read_timeout ${timeout}s is long for an ordinary request`);
  }
  return errors;
}

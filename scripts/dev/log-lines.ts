const COLOURS: Record<string, string> = {
  api: '\x1b[36m',
  worker: '\x1b[35m',
  web: '\x1b[32m',
  postgres: '\x1b[34m',
  redis: '\x1b[31m',
  stack: '\x1b[33m',
};
const RESET = '\x1b[0m';
const useColour = process.stdout.isTTY && !process.env.NO_COLOR;

/**
 * Renders a service's output line with its name as prefix. pino JSON lines become `time level msg k=v`
 * for reading in a terminal; anything else (Vite, PostgreSQL) is passed through unchanged.
 */
export function formatLine(service: string, line: string): string {
  const tag = `[${service}]`.padEnd(10);
  const prefix = useColour ? `${COLOURS[service] ?? ''}${tag}${RESET}` : tag;
  if (line.startsWith('{')) {
    try {
      const {
        time,
        level,
        msg,
        service: _s,
        pid: _p,
        hostname: _h,
        ...rest
      } = JSON.parse(line) as Record<string, unknown>;
      const clock = typeof time === 'string' ? time.slice(11, 19) : '';
      const extras = Object.entries(rest)
        .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(' ');
      return `${prefix} ${clock} ${String(level ?? '')
        .toUpperCase()
        .padEnd(5)} ${String(msg ?? '')} ${extras}`.trimEnd();
    } catch {
      // not JSON after all: print as is
    }
  }
  return `${prefix} ${line}`;
}

/** Splits a stream into lines and prints each through formatLine. */
export function pipeLines(service: string, stream: NodeJS.ReadableStream | null, write = console.log): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) write(formatLine(service, line));
  });
  stream.on('end', () => {
    if (buffered.trim()) write(formatLine(service, buffered));
  });
}

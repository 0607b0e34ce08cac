/**
 * A streaming Server-Sent Events reader over fetch (as a browser's EventSource would read it): frames are
 * parsed as they arrive, so tests can wait for one event at a time against a real HTTP server.
 */
export interface SseFrame {
  event?: string;
  id?: string;
  data?: string;
  retry?: number;
  comment?: string;
}

export interface SseReader {
  status: number;
  headers: Headers;
  /** Waits for the next frame matching `pred` (earlier non-matching frames are kept in `seen`). */
  next(pred?: (f: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  /** Resolves when the server ends the stream. */
  ended(timeoutMs?: number): Promise<void>;
  seen: SseFrame[];
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseReader> {
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: { Accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const seen: SseFrame[] = [];
  const waiters = new Set<() => void>();
  let done = false;
  let buffer = '';
  let consumed = 0;
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  (async () => {
    if (!res.body) {
      done = true;
      return;
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += decoder.decode(value, { stream: true });
        let idx = buffer.indexOf('\n\n');
        while (idx >= 0) {
          const block = buffer.slice(0, idx);
          buffer = buffer.slice(idx + 2);
          const frame: SseFrame = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) frame.comment = line.slice(1).trim();
            else {
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'event') frame.event = val;
              else if (field === 'id') frame.id = val;
              else if (field === 'data')
                frame.data = frame.data === undefined ? val : `${frame.data}\n${val}`;
              else if (field === 'retry') frame.retry = Number(val);
            }
          }
          seen.push(frame);
          notify();
          idx = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    } finally {
      done = true;
      notify();
    }
  })();
  const wait = (check: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const fn = () => {
        if (check()) {
          waiters.delete(fn);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(fn);
        reject(new Error(`SSE: timed out waiting for ${what}; seen ${JSON.stringify(seen)}`));
      }, timeoutMs);
      waiters.add(fn);
      fn();
    });
  return {
    status: res.status,
    headers: res.headers,
    seen,
    async next(pred = () => true, timeoutMs = 5_000) {
      let found: SseFrame | undefined;
      await wait(
        () => {
          while (consumed < seen.length) {
            const f = seen[consumed++] as SseFrame;
            if (pred(f)) {
              found = f;
              return true;
            }
          }
          if (done)
            throw new Error(`SSE: stream ended before a matching frame; seen ${JSON.stringify(seen)}`);
          return false;
        },
        timeoutMs,
        'a frame',
      );
      return found as SseFrame;
    },
    ended: (timeoutMs = 5_000) => wait(() => done, timeoutMs, 'the end of the stream'),
    close: () => controller.abort(),
  };
}

export const progressData = (f: SseFrame) => (f.event === 'progress' && f.data ? JSON.parse(f.data) : null);

import type { Logger } from 'pino';

/**
 * Runs `drain` once on the first SIGTERM or SIGINT, then exits 0 (or 1 if the drain throws). A second
 * signal (a process group signalled twice, an impatient operator) must not cut the drain short, so later
 * signals are ignored. Shared by the API's and the worker's entry points.
 */
export function exitAfterDrainOnSignal(logger: Logger, drain: (signal: string) => Promise<unknown>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    drain(signal).then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * A deliberately small test harness for the browser walk: named steps that run in order, each with a time
 * limit; a step whose prerequisite failed is reported as failed without running (its cause named), and a
 * step may declare itself skipped with a reason. No globals, no DOM types: it also compiles under the
 * repository's Node tsconfig (scripts/e2e/run.ts imports it).
 */

export type Outcome = 'passed' | 'failed' | 'skipped';

export interface StepResult {
  name: string;
  outcome: Outcome;
  ms: number;
  detail?: string;
}

export class SkipStep extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipStep';
  }
}

export class Harness {
  readonly results: StepResult[] = [];
  private readonly failed = new Set<string>();
  /** Set by the walk: what onFail should capture (the page in use). */
  current: unknown = null;

  constructor(
    private readonly log: (line: string) => void = console.log,
    /** Runs after a failed step (e.g. a screenshot of the page as it was); its own errors are ignored. */
    private readonly onFail?: (name: string) => Promise<string | undefined>,
  ) {}

  /**
   * Runs `fn` as step `name`. `needs` names earlier steps that must have passed; `timeoutMs` bounds it.
   * Returns true when it passed, so callers can branch on it.
   */
  async step(
    name: string,
    fn: () => Promise<void>,
    opts: { needs?: string[]; timeoutMs?: number } = {},
  ): Promise<boolean> {
    const missing = (opts.needs ?? []).filter((n) => this.failed.has(n));
    if (missing.length > 0) {
      this.record({ name, outcome: 'failed', ms: 0, detail: `not run: needs ${missing.join(', ')}` });
      return false;
    }
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        fn(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`timed out after ${opts.timeoutMs ?? 60_000} ms`)),
            opts.timeoutMs ?? 60_000,
          );
        }),
      ]);
      this.record({ name, outcome: 'passed', ms: Date.now() - started });
      return true;
    } catch (error) {
      if (error instanceof SkipStep) {
        this.record({ name, outcome: 'skipped', ms: Date.now() - started, detail: error.message });
        return false;
      }
      let message =
        error instanceof Error ? error.message.split('\n').slice(0, 6).join('\n    ') : String(error);
      const evidence = await this.onFail?.(name).catch(() => undefined);
      if (evidence) message += `\n    ${evidence}`;
      this.record({ name, outcome: 'failed', ms: Date.now() - started, detail: message });
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private record(result: StepResult) {
    this.results.push(result);
    if (result.outcome !== 'passed') this.failed.add(result.name);
    const mark = result.outcome === 'passed' ? '✓' : result.outcome === 'skipped' ? '-' : '✗';
    this.log(`  ${mark} ${result.name} (${result.ms} ms)${result.detail ? `\n    ${result.detail}` : ''}`);
  }

  count(outcome: Outcome): number {
    return this.results.filter((r) => r.outcome === outcome).length;
  }
}

export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

import type { Reporter, TestModule } from 'vitest/node';

interface ProjectTally {
  files: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Sum of the files' own durations (collection + tests): what the project costs its workers. */
  fileMs: number;
}

/** When a project's first file was handed to a worker and its last file finished (performance.now()). */
interface ProjectSpan {
  first: number;
  last: number;
}

/**
 * What a summary line counts a file under: its project, except in `suite` (`npm test`'s one project, see
 * vitest.config.ts), whose files are counted by kind as the `unit`, `integration` and `infra` projects
 * select them: `*.int.test.ts` and tests/integration are integration, tests/infra is infra, the rest unit.
 */
export function summaryGroup(module: Pick<TestModule, 'moduleId'> & { project: { name: string } }): string {
  const project = module.project.name || '(default)';
  if (project !== 'suite') return project;
  const file = module.moduleId.replaceAll('\\', '/');
  if (/\.int\.test\.ts$/.test(file) || file.includes('/tests/integration/')) return 'integration';
  if (file.includes('/tests/infra/')) return 'infra';
  return 'unit';
}

/**
 * Ends `vitest run` with the wall time and, per project (per kind in `suite`), the number of files and
 * tests (passed, failed, skipped), its own wall time (first file queued to last file done; projects and
 * kinds share the workers, so these overlap) and how long its files took together: the suite's size and
 * cost at a glance, and the line .ci/run copies into its own summary. Added next to the default reporter
 * in vitest.config.ts.
 */
export default class SummaryReporter implements Reporter {
  private started = performance.now();
  private readonly spans = new Map<string, ProjectSpan>();

  onTestRunStart(): void {
    this.started = performance.now();
    this.spans.clear();
  }

  onTestModuleQueued(module: TestModule): void {
    const name = summaryGroup(module);
    const now = performance.now();
    const span = this.spans.get(name);
    if (span) span.first = Math.min(span.first, now);
    else this.spans.set(name, { first: now, last: now });
  }

  onTestModuleEnd(module: TestModule): void {
    const span = this.spans.get(summaryGroup(module));
    if (span) span.last = Math.max(span.last, performance.now());
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const wallS = (performance.now() - this.started) / 1000;
    const projects = new Map<string, ProjectTally>();
    for (const module of testModules) {
      const name = summaryGroup(module);
      const tally = projects.get(name) ?? {
        files: 0,
        passed: 0,
        failed: 0,
        skipped: 0,
        fileMs: 0,
      };
      tally.files++;
      tally.fileMs += module.diagnostic().duration;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') tally.passed++;
        else if (state === 'failed') tally.failed++;
        else tally.skipped++;
      }
      if (module.state() === 'failed' && module.children.size === 0) tally.failed++;
      projects.set(name, tally);
    }
    const lines = [...projects.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, t]) => {
        const span = this.spans.get(name);
        const wall = span ? `${((span.last - span.first) / 1000).toFixed(1)} s wall, ` : '';
        return (
          `  ${name.padEnd(12)} ${String(t.passed + t.failed + t.skipped).padStart(5)} tests in ${String(t.files).padStart(3)} files: ` +
          `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped; ${wall}files took ${(t.fileMs / 1000).toFixed(1)} s together`
        );
      });
    const total = [...projects.values()].reduce((n, t) => n + t.passed + t.failed + t.skipped, 0);
    console.log(`\n[suite] ${total} tests in ${wallS.toFixed(1)} s wall\n${lines.join('\n')}`);
  }
}

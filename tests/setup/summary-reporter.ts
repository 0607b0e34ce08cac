import type { Reporter, TestModule } from 'vitest/node';

interface ProjectTally {
  files: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Sum of the files' own durations (collection + tests): what the project costs its workers. */
  fileMs: number;
}

/**
 * Ends `vitest run` with the wall time and, per project, the number of files and tests (passed, failed,
 * skipped) and how long that project's files took: the suite's size and cost at a glance, and the line
 * .ci/run copies into its own summary. Added next to the default reporter in vitest.config.ts.
 */
export default class SummaryReporter implements Reporter {
  private started = performance.now();

  onTestRunStart(): void {
    this.started = performance.now();
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const wallS = (performance.now() - this.started) / 1000;
    const projects = new Map<string, ProjectTally>();
    for (const module of testModules) {
      const name = module.project.name || '(default)';
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
      .map(
        ([name, t]) =>
          `  ${name.padEnd(12)} ${String(t.passed + t.failed + t.skipped).padStart(5)} tests in ${String(t.files).padStart(3)} files: ` +
          `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped; files took ${(t.fileMs / 1000).toFixed(1)} s together`,
      );
    const total = [...projects.values()].reduce((n, t) => n + t.passed + t.failed + t.skipped, 0);
    console.log(`\n[suite] ${total} tests in ${wallS.toFixed(1)} s wall\n${lines.join('\n')}`);
  }
}

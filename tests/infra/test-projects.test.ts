import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summaryGroup } from '../setup/summary-reporter.js';
import { repoRoot } from '../support/processes.js';
import { globToRegExp } from './support/workflow-semantics.js';

/**
 * `npm test` runs one project (`suite`), while `npm run test:unit`, `test:integration`, CI's coverage gate
 * and its infra job select the `unit`, `integration` and `infra` projects (vitest.config.ts, ADR 0027).
 * Both views must name the same files, and the summary must count each `suite` file under the project that
 * selects it on its own, or a file would run in one and silently not in the other.
 */
interface ProjectConfig {
  test: { name: string; include: string[]; exclude?: string[] };
}
const config = (await import('../../vitest.config.js')).default as { test: { projects: ProjectConfig[] } };
const projects = new Map(config.test.projects.map((p) => [p.test.name, p.test]));

const testFiles = execFileSync('git', ['ls-files', '*.test.ts'], { cwd: repoRoot, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);

function filesOf(name: string, { withExclude = true } = {}): string[] {
  const project = projects.get(name);
  if (!project) throw new Error(`vitest.config.ts has no project ${name}`);
  const include = project.include.map(globToRegExp);
  const exclude = (withExclude ? (project.exclude ?? []) : []).map(globToRegExp);
  return testFiles.filter((f) => include.some((g) => g.test(f)) && !exclude.some((g) => g.test(f)));
}

describe('the Vitest projects', () => {
  const kinds = ['unit', 'integration', 'infra'] as const;
  const byKind = Object.fromEntries(kinds.map((k) => [k, filesOf(k)])) as Record<
    (typeof kinds)[number],
    string[]
  >;

  it('`suite` runs exactly the unit, integration and infra files, each kind once', () => {
    const suite = filesOf('suite');
    const union = kinds.flatMap((k) => byKind[k]);
    expect(new Set(union).size).toBe(union.length);
    expect([...suite].sort()).toEqual([...union].sort());
    for (const k of kinds) expect(byKind[k].length, k).toBeGreaterThan(0);
  });

  it('counts every `suite` file in the summary under the project that selects it alone', () => {
    const wrong: string[] = [];
    for (const k of kinds) {
      for (const file of byKind[k]) {
        const group = summaryGroup({ moduleId: path.join(repoRoot, file), project: { name: 'suite' } });
        if (group !== k) wrong.push(`${file}: counted as ${group}, selected by ${k}`);
      }
    }
    expect(wrong).toEqual([]);
    // Files of the other projects keep their project's name.
    expect(summaryGroup({ moduleId: path.join(repoRoot, 'x.test.ts'), project: { name: 'process' } })).toBe(
      'process',
    );
  });

  it('leaves the process-level files to `process` alone', () => {
    const processFiles = filesOf('process');
    expect(processFiles.length).toBeGreaterThan(0);
    const suite = new Set(filesOf('suite'));
    expect(processFiles.filter((f) => suite.has(f))).toEqual([]);
    // Every committed test file runs somewhere. `process` itself leaves out, with a SKIPPING line, the
    // files whose tool (kubectl, python3) the machine lacks: counted here by its include alone.
    const anywhere = new Set([...suite, ...filesOf('process', { withExclude: false })]);
    expect(testFiles.filter((f) => !f.includes('/fixtures/') && !anywhere.has(f))).toEqual([]);
  });
});

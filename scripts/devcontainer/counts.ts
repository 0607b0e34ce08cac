/**
 * What `npm run test:devcontainer` reads from the JUnit report of `npm test` inside the container: the
 * counts of the test files that read a vendored corpus or schema, and the failed tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Test files that read a vendored corpus or schema (tests/fixtures/<name>/, ADR 0023), directly or
 * through a support module.
 */
export function corpusTestFiles(workspace: string): Set<string> {
  const fixtures = readdirSync(path.join(workspace, 'tests', 'fixtures'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const files = spawnSync('git', ['-c', 'safe.directory=*', 'ls-files', '*.test.ts'], {
    cwd: workspace,
    encoding: 'utf8',
  })
    .stdout.split('\n')
    .filter(Boolean);
  const mentions = (file: string) => {
    const p = path.join(workspace, file);
    if (!existsSync(p)) return false;
    const text = readFileSync(p, 'utf8');
    return text.includes('fixtures') && fixtures.some((name) => text.includes(name));
  };
  const out = new Set<string>();
  for (const f of files) {
    const text = existsSync(path.join(workspace, f)) ? readFileSync(path.join(workspace, f), 'utf8') : '';
    const imports = [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) =>
      path.relative(
        workspace,
        path.resolve(path.dirname(path.join(workspace, f)), (m[1] as string).replace(/\.js$/, '.ts')),
      ),
    );
    if (mentions(f) || imports.some(mentions)) out.add(f);
  }
  return out;
}

/** Per test file of `files`: passed / failed / skipped, from Vitest's JUnit report. */
export function countsFromJunit(xml: string, files: Set<string>): string[] {
  const lines: string[] = [];
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const suite of xml.match(/<testsuite\b[\s\S]*?<\/testsuite>/g) ?? []) {
    const name = /name="([^"]+)"/.exec(suite)?.[1] ?? '';
    if (!files.has(name)) continue;
    const cases = suite.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
    const failed = cases.filter((c) => /<(failure|error)\b/.test(c)).length;
    const skipped = cases.filter((c) => /<skipped\b/.test(c)).length;
    const passed = cases.length - failed - skipped;
    total.passed += passed;
    total.failed += failed;
    total.skipped += skipped;
    lines.push(`${name}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
  lines.push(
    `corpus and schema tests, ${lines.length} files: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`,
  );
  return lines;
}

/** `file > test` of every failed or erroring test case in a JUnit report. */
export function failedTests(xml: string): string[] {
  const out: string[] = [];
  for (const c of xml.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? []) {
    if (!/<(failure|error)\b/.test(c)) continue;
    out.push(`${/classname="([^"]*)"/.exec(c)?.[1] ?? '?'} > ${/ name="([^"]*)"/.exec(c)?.[1] ?? '?'}`);
  }
  return out;
}

/**
 * The documentation index: docs/README.md links every document under docs/, the README links the index,
 * and every relative link in both points at a file that exists. A new document or ADR without its line in
 * the index fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/k8s-render.js';

const docsDir = path.join(repoRoot, 'docs');
const indexFile = path.join(docsDir, 'README.md');

/** Markdown files under a directory, as paths relative to it. */
function markdownUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return markdownUnder(path.join(dir, entry.name), rel);
    return entry.name.endsWith('.md') ? [rel] : [];
  });
}

/** Targets of inline Markdown links `[text](target)` that are not URLs, without their `#anchor`. */
function relativeLinks(markdown: string): string[] {
  const targets: string[] = [];
  for (const match of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1] as string;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    targets.push(target.split('#')[0] as string);
  }
  return targets;
}

function brokenLinks(file: string): string[] {
  const dir = path.dirname(file);
  return relativeLinks(readFileSync(file, 'utf8')).filter((t) => !existsSync(path.resolve(dir, t)));
}

describe('documentation index', () => {
  const index = readFileSync(indexFile, 'utf8');
  const linked = new Set(relativeLinks(index).map((t) => path.posix.normalize(t)));

  it('docs/README.md links every document under docs/', () => {
    const documents = markdownUnder(docsDir).filter((f) => f !== 'README.md');
    expect(documents.length).toBeGreaterThan(30);
    expect(documents.filter((f) => !linked.has(f))).toEqual([]);
  });

  it('every relative link in docs/README.md and README.md resolves', () => {
    expect(brokenLinks(indexFile)).toEqual([]);
    expect(brokenLinks(path.join(repoRoot, 'README.md'))).toEqual([]);
  });

  it('the README links the index', () => {
    expect(relativeLinks(readFileSync(path.join(repoRoot, 'README.md'), 'utf8'))).toContain('docs/README.md');
  });

  it('finds relative links and leaves URLs and in-page anchors alone', () => {
    expect(
      relativeLinks('[a](a.md) [b](../b/c.md#x) [u](https://e.example/d.md) [h](#top) ![i](images/p.png)'),
    ).toEqual(['a.md', '../b/c.md', 'images/p.png']);
  });
});

import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/processes.js';

/**
 * The layer rules of docs/architecture.md are Biome `noRestrictedImports` overrides in biome.json, and
 * GritQL plugins (scripts/lint/*.grit) for what an import rule cannot see (`req.auth!`, writes to shared
 * tables outside the write layer). Each rule is shown firing on one
 * fixture file placed where the rule applies, linted by the repository's own Biome with the repository's own
 * biome.json and plugins (copied into a scratch directory, so the fixture never sits in the tree
 * `npm run lint` checks), and shown silent on the same file without the forbidden code.
 */
const biome = path.join(repoRoot, 'node_modules', '.bin', 'biome');
const scratch = mkdtempSync(path.join(tmpdir(), 'osint-layer-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function lint(name: string, file: string, source: string): { code: number | null; out: string } {
  const root = path.join(scratch, name);
  mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
  copyFileSync(path.join(repoRoot, 'biome.json'), path.join(root, 'biome.json'));
  cpSync(path.join(repoRoot, 'scripts', 'lint'), path.join(root, 'scripts', 'lint'), { recursive: true });
  writeFileSync(path.join(root, file), source);
  // No VCS in the scratch directory: the copied config's `vcs.useIgnoreFile` would find no .gitignore.
  const r = spawnSync(biome, ['lint', '--vcs-enabled=false', file], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const rules = [
  {
    rule: 'routers never import the database package',
    file: 'services/api/src/widgets/widget.router.ts',
    forbidden: "import { jobs } from '@osint/db';\nexport const table = jobs;\n",
    allowed: "import { listWidgets } from './widget.service.js';\nexport const list = listWidgets;\n",
    message: /Routers never import the database package/,
  },
  {
    rule: 'routers never query with drizzle-orm',
    file: 'services/api/src/widgets/widget.router.ts',
    forbidden: "import { eq } from 'drizzle-orm';\nexport const where = eq;\n",
    allowed: "import { z } from 'zod';\nexport const schema = z.string();\n",
    message: /Routers never query/,
  },
  {
    rule: 'API services never import Express',
    file: 'services/api/src/widgets/widget.service.ts',
    forbidden: "import type { Response } from 'express';\nexport type Out = Response;\n",
    allowed: "import type { ApiDeps } from '../deps.js';\nexport type Deps = ApiDeps;\n",
    message: /Services never import Express/,
  },
  {
    rule: 'worker processors never import Express',
    file: 'services/worker/src/processors/widget.processor.ts',
    forbidden: "import express from 'express';\nexport const app = express;\n",
    allowed: "import type { Job } from 'bullmq';\nexport type J = Job;\n",
    message: /Services never import Express/,
  },
  {
    rule: 'scripts import workspaces through their entry points',
    file: 'scripts/bench/widgets.ts',
    forbidden:
      "import { CursorCodec } from '../../services/api/src/shared/pagination.js';\nexport const codec = CursorCodec;\n",
    allowed: "import { CursorCodec } from '@osint/api';\nexport const codec = CursorCodec;\n",
    message: /Scripts import a workspace through its package name/,
  },
  {
    rule: 'API handlers never assert req.auth',
    file: 'services/api/src/widgets/widget.router.ts',
    forbidden:
      "import type { Request } from 'express';\nexport const owner = (req: Request) => req.auth!.user.id;\n",
    allowed:
      "import type { Caller } from '../http/route.js';\nexport const owner = ({ user }: Caller) => user.id;\n",
    message: /No `req\.auth!`: authenticated handlers take \{ user, actor, auth \} from their input/,
    category: /plugin/,
  },
];

describe('layer rules (biome.json noRestrictedImports and GritQL plugins)', () => {
  for (const r of rules) {
    it(`${r.rule}: the fixture fails lint, the same file without the forbidden code passes`, () => {
      const bad = lint(`${r.rule}-bad`, r.file, r.forbidden);
      expect(bad.code, bad.out).not.toBe(0);
      expect(bad.out).toMatch(r.category ?? /lint\/style\/noRestrictedImports/);
      expect(bad.out).toMatch(r.message);
      const good = lint(`${r.rule}-good`, r.file, r.allowed);
      expect(good.code, good.out).toBe(0);
    });
  }

  const writes = [
    {
      rule: 'a service writes a shared table with drizzle',
      file: 'services/api/src/widgets/widget.service.ts',
      forbidden:
        "import { type DbOrTx, jobs } from '@osint/db';\nexport const add = (tx: DbOrTx) => tx.insert(jobs).values({ kind: 'diagnostic' });\n",
      allowed:
        "import type { DbOrTx } from '@osint/db';\nimport { insertJobRow } from '@osint/writes';\nexport const add = (tx: DbOrTx) => insertJobRow(tx, { kind: 'diagnostic', requestId: 'r' });\n",
    },
    {
      rule: 'a processor writes a shared table with raw SQL',
      file: 'services/worker/src/processors/widget.processor.ts',
      forbidden: `import type { DbOrTx } from '@osint/db';
import { sql } from 'drizzle-orm';
export const drop = (tx: DbOrTx, id: string) =>
  tx.execute(sql\`delete from mentions where document_id = \${id}\`);
`,
      allowed: `import type { DbOrTx } from '@osint/db';
import { sql } from 'drizzle-orm';
export const count = (tx: DbOrTx, id: string) =>
  tx.execute(sql\`select count(*) from mentions where document_id = \${id}\`);
`,
    },
  ];
  for (const r of writes) {
    it(`only the write layer writes shared tables (${r.rule}): the fixture fails lint, the same file reading or calling @osint/writes passes`, () => {
      const bad = lint(`${r.rule}-bad`, r.file, r.forbidden);
      expect(bad.code, bad.out).not.toBe(0);
      expect(bad.out).toMatch(/Only the write layer writes shared tables/);
      const good = lint(`${r.rule}-good`, r.file, r.allowed);
      expect(good.code, good.out).toBe(0);
    });
  }

  it('the write rule holds outside the write layer only: the same write in packages/writes passes', () => {
    const r = lint(
      'writes-scope',
      'packages/writes/src/widgets.ts',
      "import { type DbOrTx, jobs } from '@osint/db';\nexport const add = (tx: DbOrTx) => tx.insert(jobs).values({ kind: 'diagnostic' });\n",
    );
    expect(r.code, r.out).toBe(0);
  });

  it('a rule applies only where it is meant to: a router import of the database package in a script is not flagged', () => {
    const r = lint(
      'scope',
      'scripts/widgets/report.ts',
      "import { jobs } from '@osint/db';\nexport const t = jobs;\n",
    );
    expect(r.code, r.out).toBe(0);
  });
});

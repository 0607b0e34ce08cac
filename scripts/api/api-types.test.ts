import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiConfigSchema, describeApi } from '@osint/api';
import { afterAll, describe, expect, it } from 'vitest';
import { checkApiTypes, FIX_COMMAND, renderApiTypes, SCHEMA_FILE } from './api-types.js';

const rendered = await renderApiTypes();
const scratch = await mkdtemp(join(tmpdir(), 'api-types-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('web/src/api/schema.d.ts', () => {
  it('is what `npm run api:types` generates from the OpenAPI document today', async () => {
    const problem = await checkApiTypes(SCHEMA_FILE, rendered);
    // The message names the file and the command that fixes it.
    expect(problem, problem ?? '').toBeNull();
  });

  it('declares every path and every named schema of the document', () => {
    const doc = describeApi(apiConfigSchema.parse({ NODE_ENV: 'development', LOG_LEVEL: 'silent' }));
    const paths = Object.keys(doc.paths ?? {});
    expect(paths.length).toBeGreaterThanOrEqual(40);
    for (const path of paths) expect(rendered).toContain(`"${path}": {`);
    for (const name of Object.keys(doc.components?.schemas ?? {})) expect(rendered).toContain(`${name}: {`);
  });

  it('reports a stale copy with the command that regenerates it', async () => {
    const stale = join(scratch, 'stale.d.ts');
    await writeFile(stale, rendered.replace('"/api/v1/auth/me": {', '"/api/v1/auth/whoami": {'));
    const problem = await checkApiTypes(stale, rendered);
    expect(problem).toContain(stale);
    expect(problem).toContain("does not match the API's OpenAPI document");
    expect(problem).toContain(FIX_COMMAND);
  });

  it('reports a missing file the same way', async () => {
    const problem = await checkApiTypes(join(scratch, 'absent.d.ts'), rendered);
    expect(problem).toContain('is missing');
    expect(problem).toContain(FIX_COMMAND);
  });
});

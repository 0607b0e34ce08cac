/**
 * Generates the web's API types (`web/src/api/schema.d.ts`) from the API's own OpenAPI document with
 * openapi-typescript, so the web client cannot drift from the API by hand.
 *
 *   npm run api:types            write the file
 *   npm run api:types -- --check  exit 1 when the committed file differs from the document
 *
 * The document comes from `describeApi` (no database, Redis or server needed); `api-types.test.ts` runs
 * the check, so a change to a route's schema fails the unit tests until the types are regenerated.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { apiConfigSchema, describeApi } from '@osint/api';

register(new URL('./typescript5-hook.mjs', import.meta.url));

export const SCHEMA_FILE = fileURLToPath(new URL('../../web/src/api/schema.d.ts', import.meta.url));
export const FIX_COMMAND = 'npm run api:types';

const HEADER = `/**
 * The API's paths and schemas, generated from GET /api/v1/openapi.json by openapi-typescript.
 * Do not edit: run \`${FIX_COMMAND}\` after changing a route (a unit test fails until you do).
 */

`;

/** The file's full text for the API as it is now. */
export async function renderApiTypes(): Promise<string> {
  // Imported after the hook is registered, so its `typescript` resolves to TypeScript 5.
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const document = describeApi(apiConfigSchema.parse({ NODE_ENV: 'development', LOG_LEVEL: 'silent' }));
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], {
    alphabetize: true,
    // A request field with a default may be left out (the API fills it in): keep it optional.
    defaultNonNullable: false,
  });
  return HEADER + astToString(ast);
}

/** Null when `file` (the committed types) matches the document, else the sentence to show. */
export async function checkApiTypes(file = SCHEMA_FILE, expected?: string): Promise<string | null> {
  const [wanted, committed] = await Promise.all([
    expected ?? renderApiTypes(),
    readFile(file, 'utf8').catch(() => null),
  ]);
  if (wanted === committed) return null;
  const what = committed === null ? 'is missing' : "does not match the API's OpenAPI document";
  return `${file} ${what} (a route or schema changed). Run \`${FIX_COMMAND}\` and commit the result.`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) {
    const problem = await checkApiTypes();
    if (problem) {
      console.error(problem);
      process.exit(1);
    }
    console.log(`${SCHEMA_FILE} matches the OpenAPI document.`);
  } else {
    await writeFile(SCHEMA_FILE, await renderApiTypes());
    console.log(`wrote ${SCHEMA_FILE}`);
  }
}

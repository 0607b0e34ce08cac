import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The command that runs a service under the hot runner (hot-runner.ts): reload on save with a warm
 * stand-by. Run from the repository root.
 */
export function hotRunner(name: string, entry: string): { command: string; args: string[] } {
  return {
    command: process.execPath,
    args: ['--conditions=source', '--import', 'tsx', path.join(here, 'hot-runner.ts'), '--name', name, entry],
  };
}

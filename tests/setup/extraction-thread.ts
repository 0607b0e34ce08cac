import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { repoRoot } from '../support/processes.js';

/**
 * Global setup of the `unit` and `integration` projects: bundles the extraction thread's entry
 * (services/core/src/isolation/thread.ts, with the workspace sources it imports; third-party packages stay
 * imports, resolved from node_modules) once per run, and points the pools at it through
 * EXTRACTION_THREAD_MODULE. From the sources each thread would otherwise register tsx and load every
 * module through its loader: about 1.3 CPU-seconds per thread, and the suite starts dozens
 * (docs/performance.md#the-test-suite). The `process` project leaves it unset, so the processes it starts
 * load threads exactly as `npm start` does.
 */
export default async function setup() {
  const outfile = path.join(repoRoot, 'node_modules', '.cache', 'osint-tests', 'extraction-thread.mjs');
  mkdirSync(path.dirname(outfile), { recursive: true });
  await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: [path.join(repoRoot, 'services/core/src/isolation/thread.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    logLevel: 'silent',
    plugins: [
      {
        name: 'third-party-packages-external',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@osint/') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  process.env.EXTRACTION_THREAD_MODULE = pathToFileURL(outfile).href;
}

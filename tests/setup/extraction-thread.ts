import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { repoRoot } from '../support/processes.js';

/**
 * Global setup of the `unit` and `integration` projects: bundles the extraction thread's entry
 * (services/core/src/isolation/thread.ts, the workspace sources and the third-party packages it imports)
 * into one file once per run, and points the pools at it through EXTRACTION_THREAD_MODULE. From the
 * sources each thread would otherwise register tsx and load every module through its loader, about 1.3
 * CPU-seconds per thread; with the packages left as imports, resolving and loading them from node_modules
 * still took ~0.5 CPU-seconds; from the one file ~0.15 (docs/performance.md#the-test-suite). The suite
 * starts dozens of threads. The `process` project leaves it unset, so the processes it starts load
 * threads exactly as `npm start` does.
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
    // unpdf (pdf.js, megabytes) is imported only when a thread first reads a PDF: it stays a separate module.
    external: ['unpdf'],
    // Bundled CommonJS packages call require() for Node's built-ins.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  process.env.EXTRACTION_THREAD_MODULE = pathToFileURL(outfile).href;
}

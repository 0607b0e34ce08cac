import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Workspace packages export `source` (TypeScript) and `default` (compiled) entries. tsx and tsc follow the
 * `source` condition; Vitest's module runner applies its own conditions, so the same mapping is spelled out
 * as aliases here: tests run the TypeScript sources directly and need no build first.
 */
const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const packages: Record<string, string> = {
  '@osint/contracts': 'packages/contracts/src',
  '@osint/core': 'services/core/src',
  '@osint/db': 'db/src',
  '@osint/writes': 'packages/writes/src',
  '@osint/api': 'services/api/src',
  '@osint/worker': 'services/worker/src',
};
const alias = Object.entries(packages).flatMap(([name, dir]) => [
  { find: new RegExp(`^${name}$`), replacement: src(`${dir}/index.ts`) },
  { find: new RegExp(`^${name}/(.*)$`), replacement: src(`${dir}/$1.ts`) },
]);

const shared = { resolve: { alias } };

/**
 * Files of the `npm test` projects share their worker's module graph (`isolate: false`): Express, Drizzle,
 * postgres.js, BullMQ, zod and the services are loaded and transformed once per worker instead of once per
 * file, about half of those projects' CPU time (docs/performance.md#the-test-suite). It holds because no
 * file mocks modules or changes process-wide state (`process.env`, globals), every file closes what it
 * opens (each integration file has its own database clone and Redis prefix), and the services keep no
 * module-level singletons (metrics registries, pools and clients are per instance). The workers are
 * threads of the Vitest process rather than child processes: no Node start-up per worker, and modules and
 * results pass between threads instead of through pipes. The `process` project keeps one fresh module
 * graph, in a process of its own, per file.
 */
const sharedModules = { isolate: false, pool: 'threads' as const };

/**
 * The infra suites render manifests with the real kubectl (its built-in kustomize) and evaluate the
 * Tiltfile with python3. A machine with only Node and npm lacks them: those files are skipped with a
 * visible message instead of failing `npm test`; CI and the dev container have both.
 */
const hasTool = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const infraNeeds: Record<string, string[]> = {
  'tests/infra/k8s.test.ts': ['kubectl'],
  'tests/infra/tilt.test.ts': ['kubectl', 'python3'],
  'tests/infra/deploy.test.ts': ['kubectl'],
};
const toolPresent = {
  kubectl: hasTool('kubectl', ['version', '--client']),
  python3: hasTool('python3', ['--version']),
} as Record<string, boolean>;
const infraSkipped = Object.entries(infraNeeds)
  .filter(([, tools]) => tools.some((t) => !toolPresent[t]))
  .map(([file]) => file);
if (infraSkipped.length > 0) {
  const missing = Object.entries(toolPresent)
    .filter(([, ok]) => !ok)
    .map(([t]) => t);
  console.warn(
    `[infra] SKIPPING ${infraSkipped.join(', ')}: ${missing.join(' and ')} not found (install kubectl 1.32 / python3 to run them)`,
  );
}

/**
 * The `process` project: tests that start real processes or external tools and wait on them (the API and
 * worker spawned under tsx, `npm start`, the hot runner, the seed CLI, pg_dump/pg_restore, a PostgreSQL
 * server started with the shipped configuration, drizzle-kit, Biome, nginx, Prometheus, kubectl
 * renders, the Tiltfile under python3, the deploy scripts against a fake kubectl, actionlint). They take
 * most of the suite's time while holding few of its assertions per second, so `npm test` leaves them to
 * `npm run test:process`; `.ci/run` runs both (README.md#the-two-commands).
 */
const processFiles = [
  'db/src/schema-drift.int.test.ts',
  'db/src/seed-cli.int.test.ts',
  'tests/integration/api-attacker.test.ts',
  'tests/integration/api-cli.test.ts',
  'tests/integration/api-cluster.test.ts',
  'tests/integration/api-shutdown.test.ts',
  'tests/integration/config-errors.test.ts',
  'tests/integration/export-memory.test.ts',
  'tests/integration/hot-runner.test.ts',
  'tests/integration/npm-start.test.ts',
  'tests/integration/ops-postgres-config.test.ts',
  'tests/integration/pipeline-crash.test.ts',
  'tests/integration/prometheus-scrape.test.ts',
  'tests/integration/restore-drill.test.ts',
  'tests/integration/tilt-smoke.test.ts',
  'tests/infra/compose-observability.test.ts',
  'tests/infra/deploy.test.ts',
  'tests/infra/devcontainer.test.ts',
  'tests/infra/k8s.test.ts',
  'tests/infra/layer-rules.test.ts',
  'tests/infra/nginx.test.ts',
  'tests/infra/ops-k8s.test.ts',
  'tests/infra/tilt.test.ts',
  'tests/infra/workflows-perf-baselines.test.ts',
  'tests/infra/workflows-semantics.test.ts',
];

const unitInclude = [
  'packages/**/src/**/*.test.ts',
  'services/**/src/**/*.test.ts',
  'db/src/**/*.test.ts',
  'scripts/**/*.test.ts',
  'web/src/**/*.test.ts',
];
const integrationInclude = [
  'services/**/*.int.test.ts',
  'packages/**/*.int.test.ts',
  'db/**/*.int.test.ts',
  'tests/integration/**/*.test.ts',
];
const infraInclude = ['tests/infra/**/*.test.ts'];

export default defineConfig({
  ...shared,
  test: {
    // The default reporter, then the suite's size and wall time per project (tests/setup/summary-reporter.ts).
    reporters: ['default', './tests/setup/summary-reporter.ts', ...(process.env.CI ? ['junit'] : [])],
    // Transformed modules are kept on disk (node_modules/.experimental-vitest-cache) between runs.
    experimental: { fsModuleCache: true },
    // Vitest's default on N cores is N - 1 workers: one on a 2-core machine. Integration and process
    // files often wait on PostgreSQL, Redis and child processes, so three files at a time keep both cores
    // busy; a fourth worker added more CPU (its module graph, contention) than waiting it filled
    // (docs/performance.md#the-test-suite). VITEST_MAX_WORKERS overrides it.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS) || 3,
    // `npm run test:process` writes its own file (VITEST_JUNIT), so .ci/run reads both suites'.
    outputFile: { junit: process.env.VITEST_JUNIT ?? 'test-results/junit.xml' },
    coverage: {
      provider: 'v8',
      include: ['services/*/src/**/*.ts', 'packages/writes/src/**/*.ts', 'db/src/**/*.ts'],
      // Code that runs only in a process or thread of its own, where the test process's V8 coverage cannot
      // see it: entry points, the API's cluster primary and listener, the extraction threads' side, the
      // CLIs. The process project exercises them (api-cluster, api-shutdown, npm-start, create-admin, pool).
      exclude: [
        '**/*.test.ts',
        '**/main.ts',
        '**/*.cli.ts',
        'services/api/src/cluster.ts',
        'services/api/src/server.ts',
        'services/api/src/cli/**',
        'db/src/cli.ts',
        'services/core/src/isolation/thread.ts',
        'services/core/src/isolation/tasks.ts',
      ],
      reporter: ['text-summary', 'lcov', 'json-summary'],
      // The level reached, rounded down, and only ever raised (docs/development.md#coverage).
      // Measured 2026-11-25 on a fresh clone: lines 94.3, functions 92.5, branches 79.3, statements 91.4.
      thresholds: { lines: 93, functions: 91, branches: 78, statements: 90 },
    },
    projects: [
      {
        // `npm test`: the unit, integration and infra files in one project. A worker serves one project,
        // so as three projects each kind's workers loaded the module graph again (about ten loads a run);
        // as one, each of the three workers loads it once (ADR 0027). The summary counts the kinds apart.
        ...shared,
        test: {
          name: 'suite',
          ...sharedModules,
          include: [...unitInclude, ...integrationInclude, ...infraInclude],
          exclude: ['**/node_modules/**', ...processFiles],
          globalSetup: ['tests/setup/global-setup.ts', 'tests/setup/extraction-thread.ts'],
          environment: 'node',
          // The infra files' 60 s (kubectl renders and actionlint on a busy machine) for every kind: a unit
          // test that hangs fails after a minute rather than Vitest's 5 s.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      // One kind of file at a time: `npm run test:unit` / `test:integration`, CI's coverage gate and its
      // infra job, Tilt's unit-test button. The same files as `suite`; select one or the other.
      {
        ...shared,
        test: {
          name: 'unit',
          ...sharedModules,
          globalSetup: ['tests/setup/extraction-thread.ts'],
          include: unitInclude,
          exclude: ['**/*.int.test.ts', '**/node_modules/**', ...processFiles],
          environment: 'node',
        },
      },
      {
        ...shared,
        test: {
          name: 'integration',
          ...sharedModules,
          include: integrationInclude,
          exclude: ['**/node_modules/**', ...processFiles],
          globalSetup: ['tests/setup/global-setup.ts', 'tests/setup/extraction-thread.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'infra',
          ...sharedModules,
          include: infraInclude,
          exclude: ['**/node_modules/**', ...processFiles],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'process',
          include: processFiles,
          exclude: ['**/node_modules/**', ...infraSkipped],
          globalSetup: ['tests/setup/global-setup.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

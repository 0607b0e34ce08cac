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
  '@osint/api': 'services/api/src',
  '@osint/worker': 'services/worker/src',
};
const alias = Object.entries(packages).flatMap(([name, dir]) => [
  { find: new RegExp(`^${name}$`), replacement: src(`${dir}/index.ts`) },
  { find: new RegExp(`^${name}/(.*)$`), replacement: src(`${dir}/$1.ts`) },
]);

const shared = { resolve: { alias } };

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

const unitInclude = [
  'packages/**/src/**/*.test.ts',
  'services/**/src/**/*.test.ts',
  'db/src/**/*.test.ts',
  'scripts/**/*.test.ts',
  'web/src/**/*.test.ts',
];

export default defineConfig({
  ...shared,
  test: {
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'test-results/junit.xml' },
    coverage: {
      provider: 'v8',
      include: ['services/*/src/**/*.ts', 'db/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/main.ts', '**/*.cli.ts'],
      reporter: ['text-summary', 'lcov', 'json-summary'],
      // The level reached, rounded down, and only ever raised (issue 2; docs/development.md#coverage).
      // Measured 2026-11-25 on a fresh clone: lines 94.3, functions 92.5, branches 79.3, statements 91.4.
      thresholds: { lines: 93, functions: 91, branches: 78, statements: 90 },
    },
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: unitInclude,
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        ...shared,
        test: {
          name: 'integration',
          include: ['services/**/*.int.test.ts', 'db/**/*.int.test.ts', 'tests/integration/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['tests/setup/global-setup.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'infra',
          include: ['tests/infra/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...infraSkipped],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
    ],
  },
});

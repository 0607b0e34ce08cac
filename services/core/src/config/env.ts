import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';

/** Thrown when the environment does not satisfy a process's config schema; one line per bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * Reads `<repo>/.env` into `process.env` in development only, without overriding variables that are
 * already set, so the shell and orchestrators (Compose, Kubernetes) always win over the file.
 */
export function loadDotEnv(env: NodeJS.ProcessEnv = process.env, file = path.join(repoRoot, '.env')): void {
  if ((env.NODE_ENV ?? 'development') === 'production' || !existsSync(file)) return;
  process.loadEnvFile(file);
}

/**
 * Parses the environment once with a zod schema and reports every bad variable at once, naming it, so a
 * misconfigured deployment is fixed in one round trip. Values are never echoed (they may be secrets).
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.length > 0 ? issue.path.join('.') : '(environment)';
    return `${name}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/**
 * Entry-point helper: parse or print the problems and exit with status 78 (EX_CONFIG) — never a stack trace.
 */
export function loadConfigOrExit<S extends z.ZodType>(
  processName: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  try {
    loadDotEnv(env);
    return parseConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${processName}: refusing to start, invalid configuration:\n`);
      for (const problem of error.problems) process.stderr.write(`  ${problem}\n`);
      process.stderr.write('See .env.example for every variable, its default and who reads it.\n');
      process.exit(78);
    }
    throw error;
  }
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where native mode keeps PostgreSQL and Redis data; OSINT_DATA_DIR lets tests use a throw-away one. */
export const dataDir = process.env.OSINT_DATA_DIR
  ? path.resolve(process.env.OSINT_DATA_DIR)
  : path.join(repoRoot, '.data');

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 65535) {
    throw new Error(`${name}=${raw} is not a TCP port`);
  }
  return value;
}

/** Ports and switches of the development stack; defaults are docs/conventions.md's table. */
export function devSettings(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)) {
  const envFile = path.join(repoRoot, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return {
    apiPort: intFrom(env, 'API_PORT', 4000),
    workerPort: intFrom(env, 'WORKER_PORT', 4001),
    webPort: intFrom(env, 'WEB_PORT', 5173),
    pgPort: intFrom(env, 'PG_PORT', 54320),
    redisPort: intFrom(env, 'REDIS_PORT', 63790),
    /** `npm start -- --native` or OSINT_PROVIDER=native forces project-local processes over Compose. */
    forceNative: argv.includes('--native') || env.OSINT_PROVIDER === 'native',
    forceCompose: argv.includes('--compose') || env.OSINT_PROVIDER === 'compose',
    databaseUrl: env.DATABASE_URL || undefined,
    /** The owner role's URL for migrations when DATABASE_URL is the runtime role (ADR 0021). */
    migrationDatabaseUrl: env.MIGRATION_DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
  };
}
export type DevSettings = ReturnType<typeof devSettings>;

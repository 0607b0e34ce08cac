import { z } from 'zod';

/** Development-only defaults: known to everyone, so production refuses them (see `refuseDevSecrets`). */
export const DEV_DEFAULTS = {
  databaseUrl: 'postgres://osint:osint@127.0.0.1:54320/osint',
  redisUrl: 'redis://127.0.0.1:63790',
  sessionSecret: 'dev-only-session-secret-change-me-0123456789',
} as const;

/**
 * The marker every published development secret carries besides the native/Compose defaults: the k8s dev
 * overlay's generated Secret (`osint-dev-only`, `dev-only`, `dev-only-k8s-session-secret-…`) and the
 * built-in session secret. Production refuses any secret containing it.
 */
export const DEV_SECRET_MARK = 'dev-only';

/**
 * Whether a connection URL carries a published development password: `osint`, shared by every development
 * role of native mode and Compose (`osint`, `osint_app`, `osint_backup`; docs/decisions/0021-database-roles.md),
 * or one marked `dev-only` (k8s dev), whichever role it names and wherever libpq would read it from (the
 * user-info part or a `password=` parameter).
 */
export function hasDevDatabasePassword(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const passwords = [parsed.password, parsed.searchParams.get('password') ?? ''].map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return passwords.some((p) => p === 'osint' || p.includes(DEV_SECRET_MARK));
}

/** A secret that must not be a published development value in production. */
export interface DevSecretCheck<K extends string = string> {
  key: K;
  isDev: (value: string) => boolean;
}

/** What every process that connects to PostgreSQL refuses in production (API, worker). */
export const DEV_DATABASE_SECRET = { key: 'DATABASE_URL', isDev: hasDevDatabasePassword } as const;

/** The session secret: the built-in default or any value marked `dev-only`. */
export const DEV_SESSION_SECRET = {
  key: 'SESSION_SECRET',
  isDev: (value: string) => value === DEV_DEFAULTS.sessionSecret || value.includes(DEV_SECRET_MARK),
} as const;

export const nodeEnv = z.enum(['development', 'test', 'production']).default('development');
export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

/** A TCP port given as a string in the environment. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const postgresUrl = z
  .string()
  .default(DEV_DEFAULTS.databaseUrl)
  .refine((v) => /^postgres(ql)?:\/\//.test(v) && URL.canParse(v), {
    message: 'must be a postgres:// or postgresql:// URL',
  });

export const redisUrl = z
  .string()
  .default(DEV_DEFAULTS.redisUrl)
  .refine((v) => /^rediss?:\/\//.test(v) && URL.canParse(v), {
    message: 'must be a redis:// or rediss:// URL',
  });

export const sessionSecret = z
  .string()
  .min(32, 'must be at least 32 characters')
  .default(DEV_DEFAULTS.sessionSecret);

/**
 * The variables the API and the worker both read, with one meaning and one default each: the two processes
 * work together only when they agree on the database, Redis, the queue names (QUEUE_PREFIX) and the
 * directory exports are written to and downloaded from (EXPORT_DIR: a shared volume in Compose and
 * Kubernetes; docs/search-and-export.md).
 */
export const serviceSettings = {
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  DATABASE_URL: postgresUrl,
  REDIS_URL: redisUrl,
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
  QUEUE_PREFIX: z.string().min(1).default('osint'),
  EXPORT_DIR: z.string().min(1).default('.data/exports'),
};

/**
 * Adds a refinement rejecting the published development defaults when NODE_ENV=production: a forgotten
 * secret must stop the process, not run with a value printed in the README.
 */
export function refuseDevSecrets<T extends { NODE_ENV: string }>(
  keys: Array<DevSecretCheck<keyof T & string>>,
) {
  return (cfg: T, ctx: z.RefinementCtx) => {
    if (cfg.NODE_ENV !== 'production') return;
    for (const { key, isDev } of keys) {
      const value = cfg[key];
      if (typeof value === 'string' && isDev(value)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'uses the development default; set a real value in production',
        });
      }
    }
  };
}

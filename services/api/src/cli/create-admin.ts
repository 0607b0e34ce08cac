import { parseArgs } from 'node:util';
import { loadConfigOrExit, nodeEnv, postgresUrl } from '@osint/core';
import { createDbClient, redactUrl } from '@osint/db';
import { z } from 'zod';
import { BootstrapRefused, bootstrapAdmin } from '../auth/admin-bootstrap.js';

/**
 * `npm run create-admin`: creates the first administrator (or with --reset re-keys an existing account as
 * one). Prefer ADMIN_PASSWORD over --password, which other users of the machine can see in `ps`.
 *
 *   ADMIN_EMAIL=alice@example.org ADMIN_PASSWORD='…' npm run create-admin
 *   ADMIN_PASSWORD='…' npm run create-admin -- --email alice@example.org --name "Alice" --reset
 */
const envSchema = z.object({
  NODE_ENV: nodeEnv,
  DATABASE_URL: postgresUrl,
  ADMIN_EMAIL: z.string().optional(),
  ADMIN_PASSWORD: z.string().optional(),
  ADMIN_NAME: z.string().optional(),
});

const env = loadConfigOrExit('create-admin', envSchema);
const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    password: { type: 'string' },
    name: { type: 'string' },
    reset: { type: 'boolean', default: false },
  },
});

const client = createDbClient(env.DATABASE_URL, { max: 1, applicationName: 'create-admin' });
let exitCode = 0;
try {
  const outcome = await bootstrapAdmin(client.db, {
    email: values.email ?? env.ADMIN_EMAIL ?? '',
    password: values.password ?? env.ADMIN_PASSWORD ?? '',
    displayName: values.name ?? env.ADMIN_NAME,
    reset: values.reset,
  });
  process.stdout.write(
    `${JSON.stringify({ level: 'info', service: 'create-admin', database: redactUrl(env.DATABASE_URL), ...outcome })}\n`,
  );
} catch (error) {
  const message = error instanceof BootstrapRefused ? error.message : `failed: ${(error as Error).message}`;
  process.stderr.write(`create-admin: ${message}\n`);
  exitCode = 1;
} finally {
  await client.close();
}
process.exit(exitCode);

import { defineConfig } from 'drizzle-kit';

/** Only `drizzle-kit generate` writes db/migrations (house style 4); this config is its single input. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
  casing: 'snake_case',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://osint:osint@127.0.0.1:54320/osint' },
  strict: true,
  verbose: true,
});

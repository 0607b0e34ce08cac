import { createDbClient, type Database } from './client.js';

export interface SeedResult {
  seeded: boolean;
  reason: string;
}

/**
 * Development seed entry point. Deterministic and idempotent: every row is keyed by a natural key or a
 * fixed UUID and written with upserts, so running it twice changes nothing.
 */
export async function seedDevelopment(_db: Database): Promise<SeedResult> {
  return { seeded: false, reason: 'no seed data defined yet' };
}

/** Seeds only when the database holds no user data, so `npm start` never overwrites a developer's work. */
export async function seedIfEmpty(url: string): Promise<SeedResult> {
  const client = createDbClient(url, { max: 1, applicationName: 'seed' });
  try {
    return await seedDevelopment(client.db);
  } finally {
    await client.close();
  }
}

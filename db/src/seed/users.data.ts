/**
 * The documented development password of every seeded user (docs/data-model.md#seed). Development data
 * only: `seedIfEmpty` is what `npm start` runs, and production never runs the seed.
 */
export const DEV_PASSWORD = 'osint-dev-password';

/**
 * argon2id hash of {@link DEV_PASSWORD}, computed once with the API's library and parameters (m = 19 MiB,
 * t = 2, p = 1, services/api/src/auth/password.ts) so db does not depend on argon2:
 *   node -e "require('@node-rs/argon2').hash('osint-dev-password', { algorithm: 2 }).then(console.log)"
 * Any argon2id verifier accepts it; the salt is fixed here, which is fine for a published password.
 */
export const DEV_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$IYmF5Cd0Ku4lXeBtfZ1Jjw$9wmTcvXYTy7+N0uOuGWl+29y3IinXqJgz42l4ww++0w';

export type UserKey = 'alice' | 'bob' | 'carol' | 'dave';

export interface SeedUser {
  key: UserKey;
  email: string;
  displayName: string;
  role: 'admin' | 'member';
}

/** Fictional people on reserved example domains (RFC 2606); alice is the development admin. */
export const SEED_USERS: readonly SeedUser[] = [
  { key: 'alice', email: 'alice@example.com', displayName: 'Alice Admin', role: 'admin' },
  { key: 'bob', email: 'bob@example.org', displayName: 'Bob Analyst', role: 'member' },
  { key: 'carol', email: 'carol@example.org', displayName: 'Carol Researcher', role: 'member' },
  { key: 'dave', email: 'dave@example.org', displayName: 'Dave Reviewer', role: 'member' },
];

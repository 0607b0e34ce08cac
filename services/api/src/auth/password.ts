import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id parameters: OWASP Password Storage Cheat Sheet's first option (m = 19 MiB, t = 2, p = 1), which
 * is also @node-rs/argon2's default; stated here so a library upgrade cannot silently weaken it. The
 * algorithm defaults to argon2id (Algorithm.Argon2id = 2; the const enum cannot be imported under
 * isolatedModules), asserted by the tests through the `$argon2id$` prefix.
 */
export const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/** Bounds the work one login can cause: argon2 accepts any length, attackers would send megabytes. */
export const MAX_PASSWORD_LENGTH = 256;
export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password against a stored hash, or against a fixed dummy hash when the account does not exist
 * (or has no password), so unknown emails cost the same argon2 work as known ones and response time does
 * not reveal which accounts exist.
 */
export async function verifyPassword(
  storedHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  dummyHash ??= hashPassword('dummy password for timing equalisation only');
  const target = storedHash ?? (await dummyHash);
  try {
    const ok = await verify(target, password);
    return ok && storedHash != null;
  } catch {
    return false;
  }
}

/** Passwords seen in every breach list; refused outright (a stand-in for a full breached-password check). */
const COMMON = new Set([
  'password',
  'password1',
  'password123',
  'passw0rd',
  'qwerty',
  'qwertyuiop',
  'letmein',
  'welcome',
  'admin',
  'administrator',
  'changeme',
  'iloveyou',
  'trustno1',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'osint',
  'secret',
]);

/**
 * Why a password is too weak, or null. NIST SP 800-63B: length over composition rules, plus rejecting
 * known-common and context-specific values (the account's own email).
 */
export function passwordWeakness(password: string, email?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (new Set(password).size < 5) return 'must use at least 5 different characters';
  const lower = password.toLowerCase();
  const stripped = lower.replace(/[^a-z]/g, '');
  if (COMMON.has(lower) || COMMON.has(stripped)) return 'is a commonly used password';
  if (/^(0123456789|1234567890|abcdefghijkl)/.test(lower)) return 'is a predictable sequence';
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'must not contain the email address';
  return null;
}

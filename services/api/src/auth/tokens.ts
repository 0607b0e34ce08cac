import { createHash, randomBytes } from 'node:crypto';

/** Name of the session cookie over plain http (development, tests). */
export const SESSION_COOKIE = 'osint_session';

/**
 * Name of the session cookie where it is Secure (production, served over HTTPS). The `__Host-` prefix
 * (RFC 6265bis §4.1.3.2) makes browsers accept it only with Secure, Path=/ and no Domain, so a sibling
 * subdomain or a plain-http page cannot plant or overwrite it (session fixation).
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** The session cookie's name and Secure flag: Secure (and `__Host-`) in production, plain over http. */
export function sessionCookieOf(config: { NODE_ENV: string }): { name: string; secure: boolean } {
  const secure = config.NODE_ENV === 'production';
  return { name: secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, secure };
}

/**
 * Longest life of a personal API token, in days, and what a token created without `expiresInDays` gets:
 * a leaked token stops working by itself within this. 90 days, the usual ceiling of hosted services'
 * personal access tokens (a quarter: long enough for automation, short enough to force rotation). Tokens
 * stored without an expiry count from their creation (authenticate.ts).
 */
export const MAX_TOKEN_DAYS = 90;

/** Personal API tokens start with this, so secret scanners and humans recognise a leaked one. */
export const PAT_PREFIX = 'osint_pat_';

/** 32 random bytes (256 bits) as base64url: 43 characters, unguessable, URL and cookie safe. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database stores instead of a token: its hex SHA-256 (tokens are high-entropy, no salt needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const SESSION_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
export const PAT_SHAPE = /^osint_pat_[A-Za-z0-9_-]{43}$/;

export function newPersonalToken(): { token: string; hash: string; prefix: string } {
  const token = `${PAT_PREFIX}${randomToken()}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, 16) };
}

/** Minimal Cookie header parser: only the session cookie is read, so no dependency is needed. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

import { normaliseDomain } from './normalise-domain.js';
import { SelectorError } from './selector-error.js';
import type { SelectorValue } from './selector-value.js';

/**
 * Platforms whose handles are case-insensitive (the site resolves `@Alice` and `@alice` to one account),
 * so the match key lowercases them. Everywhere else case is kept: folding could merge two people.
 */
export const CASE_INSENSITIVE_PLATFORMS: ReadonlySet<string> = new Set([
  'twitter',
  'github',
  'instagram',
  'reddit',
  'telegram',
  'tiktok',
]);

/** Spellings of one platform that must produce one match key. */
const PLATFORM_ALIASES: Readonly<Record<string, string>> = {
  x: 'twitter',
  'x.com': 'twitter',
  'twitter.com': 'twitter',
  mastodon: 'fediverse',
  activitypub: 'fediverse',
};

const PLATFORM = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const PLATFORM_PREFIX = /^([A-Za-z0-9][A-Za-z0-9._-]{0,62}):(?!\/\/)(.+)$/;
const FEDIVERSE_HANDLE = /^@([^@\s]+)@([^@\s]+)$/;
/** `handle@instance` after a `fediverse:` prefix (the form of the match key), the `@` before the handle optional. */
const FEDIVERSE_ACCOUNT = /^@?([^@\s]+)@([^@\s]+)$/;
const MAX_HANDLE_LENGTH = 256;

/** Lowercases a platform name and folds aliases (`X` → `twitter`, `mastodon` → `fediverse`). */
export function canonicalPlatform(platform: string): string {
  const lower = platform.trim().toLowerCase();
  const canonical = PLATFORM_ALIASES[lower] ?? lower;
  if (!PLATFORM.test(canonical)) {
    throw new SelectorError('invalid_username', `"${platform}" is not a platform name`, 'username');
  }
  return canonical;
}

function pickPlatform(fromValue: string | undefined, fromOpts: string | undefined): string {
  const a = fromValue === undefined ? undefined : canonicalPlatform(fromValue);
  const b = fromOpts === undefined ? undefined : canonicalPlatform(fromOpts);
  if (a !== undefined && b !== undefined && a !== b) {
    throw new SelectorError(
      'username_platform_conflict',
      `handle says "${a}" but platform "${b}" was given`,
      'username',
    );
  }
  const platform = a ?? b;
  if (platform === undefined) {
    throw new SelectorError(
      'username_platform_required',
      'a username needs a platform (pass one, or write platform:handle)',
      'username',
    );
  }
  return platform;
}

function cleanHandle(handle: string, platform: string): string {
  let out = handle.trim().replace(/^@/, '');
  if (platform === 'reddit') out = out.replace(/^\/?u\//i, '');
  if (out === '' || out.length > MAX_HANDLE_LENGTH || /[\s@]/u.test(out)) {
    throw new SelectorError('invalid_username', `"${handle}" is not a valid handle`, 'username');
  }
  return CASE_INSENSITIVE_PLATFORMS.has(platform) ? out.toLowerCase() : out;
}

/**
 * Fediverse accounts (`@alice@social.example`) are identified by handle and instance together. The
 * instance is normalised like any domain; the handle keeps its case because not every server software
 * treats it case-insensitively.
 */
function normaliseFediverse(
  handle: string,
  instance: string,
  optsPlatform: string | undefined,
): SelectorValue {
  const platform = pickPlatform('fediverse', optsPlatform);
  let host: string;
  try {
    host = normaliseDomain(instance).value;
  } catch {
    throw new SelectorError('invalid_username', `"${instance}" is not a valid instance domain`, 'username');
  }
  const local = cleanHandle(handle, platform);
  return {
    value: `${platform}:${local}@${host}`,
    attributes: { platform, handle: `${local}@${host}`, instance: host, caseInsensitive: false },
  };
}

/**
 * Normalises an account handle to `platform:handle`. The platform comes from `platform:handle` in the value,
 * from `@handle@instance` (fediverse), or from `platform`; a handle without any platform is refused
 * because `alice` on two sites is two different people. A leading `@` is dropped, and handles on
 * {@link CASE_INSENSITIVE_PLATFORMS} are lowercased.
 */
export function normaliseUsername(raw: string, platform?: string): SelectorValue {
  const input = raw.trim();
  const fediverse = FEDIVERSE_HANDLE.exec(input);
  if (fediverse) return normaliseFediverse(fediverse[1] ?? '', fediverse[2] ?? '', platform);
  const prefixed = PLATFORM_PREFIX.exec(input);
  const resolved = pickPlatform(prefixed?.[1], platform);
  // The match key of a fediverse account (`fediverse:alice@social.example`) normalises to itself.
  const account =
    resolved === 'fediverse' ? FEDIVERSE_ACCOUNT.exec(prefixed ? (prefixed[2] ?? '') : input) : null;
  if (account) return normaliseFediverse(account[1] ?? '', account[2] ?? '', platform);
  const handle = cleanHandle(prefixed ? (prefixed[2] ?? '') : input, resolved);
  return {
    value: `${resolved}:${handle}`,
    attributes: { platform: resolved, handle, caseInsensitive: CASE_INSENSITIVE_PLATFORMS.has(resolved) },
  };
}

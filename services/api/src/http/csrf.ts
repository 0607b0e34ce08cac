import type { Request, RequestHandler } from 'express';
import { AppError } from '../shared/errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class CsrfRejectedError extends AppError {
  constructor() {
    super(
      403,
      'csrf_rejected',
      'Cookie-authenticated writes must come from this site (same-origin Origin, Referer or Sec-Fetch-Site).',
    );
  }
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase().replace(/:(80|443)$/, '');
  } catch {
    return null;
  }
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Whether a request demonstrably comes from this site. Browsers send `Sec-Fetch-Site` and `Origin` on
 * cross-site writes and cannot be made to forge them; a request with neither (nor a `Referer`) is refused
 * rather than trusted. The request host honours X-Forwarded-Host only from trusted proxies (`trust proxy`).
 */
export function isSameOrigin(req: Request, trustedOrigins: readonly string[]): boolean {
  // URL.host drops default ports; a Host header may carry them.
  const requestHost = (req.host ?? '').toLowerCase().replace(/:(80|443)$/, '');
  const trusted = new Set(trustedOrigins.map((o) => originOf(o)).filter((o) => o !== null));
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  const matches = (url: string) =>
    (requestHost !== '' && hostOf(url) === requestHost) || trusted.has(originOf(url) ?? '');
  if (origin && origin !== 'null') return matches(origin);
  if (site !== undefined) return site === 'same-origin';
  const referer = req.get('referer');
  if (referer) return matches(referer);
  return false;
}

/**
 * CSRF defence for cookie sessions (OWASP CSRF cheat sheet: verify origin with standard headers, plus
 * SameSite=Lax cookies). Bearer-token requests are exempt: browsers never attach them on their own.
 */
export function csrfProtection(trustedOrigins: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || req.auth?.via !== 'session') return next();
    if (!isSameOrigin(req, trustedOrigins)) return next(new CsrfRejectedError());
    next();
  };
}

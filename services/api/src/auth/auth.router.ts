import type { ApiDeps } from '../deps.js';
import { isSameOrigin } from '../http/csrf.js';
import type { ApiRoutes } from '../http/route.js';
import { idParams } from '../http/validate.js';
import { AppError, ForbiddenError } from '../shared/errors.js';
import {
  accountSchema,
  createdTokenSchema,
  createTokenBody,
  loginBody,
  loginResponse,
  meResponse,
  tokenListQuery,
  tokenPage,
} from './auth.schema.js';
import {
  createToken,
  listTokens,
  login,
  logout,
  presentToken,
  presentUser,
  revokeToken,
  setAccountDisabled,
} from './auth.service.js';
import { clearSessionCookie } from './authenticate.js';
import { announceRevocation } from './revocation.js';
import { sessionCookieOf } from './tokens.js';

export function authRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const sessionCookie = sessionCookieOf(deps.config);

  routes.add({
    method: 'post',
    path: '/auth/login',
    operationId: 'login',
    summary:
      'Sign in with email and password; sets the session cookie (`__Host-osint_session` in production, `osint_session` over http).',
    description:
      'Failed attempts are throttled per account and per client IP (429 with Retry-After). Every failure ' +
      'answers the same 401 so responses do not reveal which accounts exist.',
    tag: 'auth',
    auth: 'public',
    request: { body: loginBody },
    responses: {
      200: { description: 'Signed in.', schema: loginResponse },
      401: { description: 'Wrong email or password, or the account is disabled.' },
      429: { description: 'Too many failed attempts; see Retry-After.' },
    },
    handler: async ({ body }, req, res) => {
      // Login CSRF: a browser that says the form came from another site is refused; non-browser clients
      // (no Origin, no Sec-Fetch-Site) may still sign in.
      if (
        (req.get('origin') || req.get('sec-fetch-site')) &&
        !isSameOrigin(req, deps.config.CSRF_TRUSTED_ORIGINS)
      ) {
        throw new AppError(403, 'csrf_rejected', 'Sign-in must come from this site.');
      }
      const result = await login(deps, {
        email: body.email,
        password: body.password,
        ip: req.ip ?? 'unknown',
        userAgent: req.get('user-agent'),
        requestId: req.id,
      });
      // No Domain attribute: host-only, as the `__Host-` prefix requires.
      res.cookie(sessionCookie.name, result.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: sessionCookie.secure,
        path: '/',
        expires: result.expiresAt,
      });
      res.json({ user: presentUser(result.user) });
    },
  });

  routes.add({
    method: 'post',
    path: '/auth/logout',
    operationId: 'logout',
    summary: 'End the current session and clear the cookie.',
    tag: 'auth',
    auth: 'user',
    responses: { 204: { description: 'Signed out.' } },
    handler: async ({ actor, auth }, _req, res) => {
      const sessionId = auth.sessionId;
      await logout(deps.db, actor, sessionId);
      if (sessionId) await announceRevocation(deps, { sessionId });
      clearSessionCookie(res, sessionCookie);
      res.status(204).end();
    },
  });

  routes.add({
    method: 'get',
    path: '/auth/me',
    operationId: 'getMe',
    summary: 'The signed-in user.',
    tag: 'auth',
    auth: 'user',
    responses: { 200: { description: 'The caller.', schema: meResponse } },
    handler: ({ auth }, _req, res) => {
      res.json({ user: presentUser(auth.user), authenticatedBy: auth.via });
    },
  });

  routes.add({
    method: 'post',
    path: '/auth/tokens',
    operationId: 'createToken',
    summary: 'Create a personal API token; the secret is shown only in this response.',
    description: 'Only an interactive session may mint tokens, so a leaked token cannot create more.',
    tag: 'auth',
    auth: 'user',
    request: { body: createTokenBody },
    responses: { 201: { description: 'Created.', schema: createdTokenSchema } },
    handler: async ({ body, actor, auth }, _req, res) => {
      if (auth.via !== 'session') throw new ForbiddenError('Create tokens from a signed-in session.');
      const { row, token } = await createToken(deps.db, actor, body);
      res.status(201).json({ ...presentToken(row), token });
    },
  });

  routes.add({
    method: 'get',
    path: '/auth/tokens',
    operationId: 'listTokens',
    summary: "The caller's personal API tokens (without secrets).",
    tag: 'auth',
    auth: 'user',
    request: { query: tokenListQuery },
    responses: { 200: { description: 'A page of tokens.', schema: tokenPage } },
    handler: async ({ query, user }, _req, res) => {
      res.json(await listTokens(deps, user.id, query));
    },
  });

  routes.add({
    method: 'delete',
    path: '/auth/tokens/:id',
    operationId: 'revokeToken',
    summary: 'Revoke one of your tokens; it stops working immediately.',
    tag: 'auth',
    auth: 'user',
    request: { params: idParams },
    responses: { 204: { description: 'Revoked (or already revoked).' } },
    handler: async ({ params, actor }, _req, res) => {
      await revokeToken(deps.db, actor, params.id);
      await announceRevocation(deps, { tokenId: params.id });
      res.status(204).end();
    },
  });

  for (const disabled of [true, false]) {
    routes.add({
      method: 'post',
      path: `/users/:id/${disabled ? 'disable' : 'enable'}`,
      operationId: disabled ? 'disableUser' : 'enableUser',
      summary: disabled
        ? 'Disable an account (administrators): ends its sessions, tokens and event streams at once.'
        : 'Re-enable a disabled account (administrators); its ended sessions and tokens stay ended.',
      description: disabled
        ? 'Every later request with its sessions or tokens is refused, open event streams close, and ' +
          'sign-in answers the same 401 as a wrong password. Idempotent. Administrators cannot disable ' +
          'themselves (409).'
        : 'The user signs in again; tokens revoked by disabling stay revoked. Idempotent.',
      tag: 'auth',
      auth: 'admin',
      request: { params: idParams },
      responses: disabled
        ? {
            200: { description: 'The account as it now is.', schema: accountSchema },
            404: { description: 'No such user.' },
            409: { description: 'An administrator cannot disable themselves.' },
          }
        : {
            200: { description: 'The account as it now is.', schema: accountSchema },
            404: { description: 'No such user.' },
          },
      handler: async ({ params, actor }, _req, res) => {
        const account = await setAccountDisabled(deps.db, actor, params.id, disabled);
        if (disabled) await announceRevocation(deps, { userId: params.id });
        res.json(account);
      },
    });
  }
}

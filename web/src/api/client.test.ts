import { describe, expect, it } from 'vitest';
import { ApiError, apiUrl, fieldError, fillPath, plainMessage, withQuery } from './client';

const problem = (code: string, status: number, extra: object = {}) =>
  new ApiError({
    status,
    problem: { type: 'x', title: 't', status, detail: `detail of ${code}`, code, ...extra },
    retryAfter: null,
    method: 'POST',
    path: '/investigations',
  });

describe('plainMessage', () => {
  it('says what happened in words for the stable problem codes', () => {
    expect(plainMessage(problem('invalid_credentials', 401))).toBe(
      'That email and password do not match an account.',
    );
    expect(plainMessage(problem('forbidden', 403))).toMatch(/role does not allow this/);
    expect(plainMessage(problem('duplicate_document', 409))).toMatch(/already in the investigation/);
  });

  it('puts Retry-After in words', () => {
    const error = new ApiError({
      status: 429,
      problem: { type: 'x', title: 't', status: 429, detail: 'd', code: 'too_many_attempts' },
      retryAfter: '900',
      method: 'POST',
      path: '/auth/login',
    });
    expect(plainMessage(error)).toMatch(/Try again in 15 minutes/);
  });

  it('lists every invalid field, and finds one for the form', () => {
    const error = problem('validation_failed', 400, {
      errors: [
        { field: 'title', message: 'must not be empty' },
        { field: 'body.defaultRegion', message: 'must be two letters' },
      ],
    });
    expect(plainMessage(error)).toBe(
      'Please check: title must not be empty; body.defaultRegion must be two letters.',
    );
    expect(fieldError(error, 'defaultRegion')).toBe('must be two letters');
    expect(fieldError(error, 'tlp')).toBeNull();
  });

  it('names the missing route when the server lacks a feature', () => {
    const error = problem('route_not_found', 404);
    expect(error.missingRoute).toBe(true);
    expect(plainMessage(error)).toBe(
      "This server's API does not offer this yet (POST /investigations is not a route).",
    );
  });

  it('explains an unreachable API and hides 5xx internals', () => {
    expect(
      plainMessage(new ApiError({ status: 0, problem: null, retryAfter: null, method: 'GET', path: '/x' })),
    ).toMatch(/cannot be reached/);
    expect(plainMessage(problem('internal', 500))).toMatch(/failed unexpectedly/);
  });

  it('lets a page reword a code for its context', () => {
    expect(plainMessage(problem('not_found', 404), { not_found: 'No account uses that email.' })).toBe(
      'No account uses that email.',
    );
  });
});

describe('withQuery', () => {
  it('drops empty parameters', () => {
    expect(withQuery('/s', { q: 'a b', type: undefined, tag: '', limit: 50 })).toBe('/s?q=a+b&limit=50');
    expect(withQuery('/s', {})).toBe('/s');
  });
});

describe('fillPath', () => {
  it('puts each parameter into its template slot, URL-encoded', () => {
    expect(fillPath('/investigations/{id}/members/{userId}', { id: 'a1', userId: 'b2' })).toBe(
      '/investigations/a1/members/b2',
    );
    expect(fillPath('/investigations/{id}', { id: '../x?y=1#z' })).toBe('/investigations/..%2Fx%3Fy%3D1%23z');
    expect(fillPath('/auth/me')).toBe('/auth/me');
  });

  it('refuses a template whose parameter has no value instead of calling a wrong URL', () => {
    expect(() => fillPath('/jobs/{id}', {})).toThrow('/jobs/{id}: no value for {id}');
    expect(() => fillPath('/jobs/{id}')).toThrow(/no value for \{id\}/);
  });

  it('builds the URLs the browser opens itself under /api/v1', () => {
    expect(apiUrl('/jobs/{id}/events', { id: 'j1' })).toBe('/api/v1/jobs/j1/events');
    expect(apiUrl('/exports/{jobId}/download', { jobId: 'j2' })).toBe('/api/v1/exports/j2/download');
  });
});

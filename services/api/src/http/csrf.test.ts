import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { isSameOrigin } from './csrf.js';

function req(host: string, headers: Record<string, string>): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { host, get: (name: string) => lower[name.toLowerCase()] } as unknown as Request;
}

describe('isSameOrigin', () => {
  it.each([
    ['matching Origin', 'app.example', { Origin: 'https://app.example' }, true],
    [
      'matching Origin with a default port in Host',
      'app.example:443',
      { Origin: 'https://app.example' },
      true,
    ],
    ['foreign Origin', 'app.example', { Origin: 'https://evil.example' }, false],
    ['Origin on another port', 'app.example', { Origin: 'https://app.example:8443' }, false],
    ['Origin null', 'app.example', { Origin: 'null' }, false],
    ['Sec-Fetch-Site same-origin', 'app.example', { 'Sec-Fetch-Site': 'same-origin' }, true],
    ['Sec-Fetch-Site same-site', 'app.example', { 'Sec-Fetch-Site': 'same-site' }, false],
    ['Sec-Fetch-Site none', 'app.example', { 'Sec-Fetch-Site': 'none' }, false],
    ['matching Referer', 'app.example', { Referer: 'https://app.example/x?y' }, true],
    ['foreign Referer', 'app.example', { Referer: 'https://app.example.evil/x' }, false],
    ['unparseable Referer', 'app.example', { Referer: '::::' }, false],
    ['nothing at all', 'app.example', {}, false],
  ])('%s', (_name, host, headers, expected) => {
    expect(isSameOrigin(req(host, headers), [])).toBe(expected);
  });

  it('accepts configured trusted origins only exactly', () => {
    const trusted = ['http://localhost:5173'];
    expect(isSameOrigin(req('api:4000', { Origin: 'http://localhost:5173' }), trusted)).toBe(true);
    expect(isSameOrigin(req('api:4000', { Origin: 'http://localhost:5174' }), trusted)).toBe(false);
  });
});

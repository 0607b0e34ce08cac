import { describe, expect, it } from 'vitest';
import { RECONNECT_DELAY_MAX_SECONDS, reconnectDelaySeconds } from './client.js';

describe('reconnectDelaySeconds', () => {
  it('starts at tens of milliseconds and doubles per failed attempt', () => {
    for (let i = 0; i < 200; i++) {
      expect(reconnectDelaySeconds(0)).toBeGreaterThanOrEqual(0.025);
      expect(reconnectDelaySeconds(0)).toBeLessThanOrEqual(0.05);
      expect(reconnectDelaySeconds(3)).toBeGreaterThanOrEqual(0.2);
      expect(reconnectDelaySeconds(3)).toBeLessThanOrEqual(0.4);
    }
  });

  it('never waits longer than the cap, however many attempts failed (postgres.js alone reaches 20 s)', () => {
    for (const retries of [5, 6, 7, 10, 50, 1_000, Number.MAX_SAFE_INTEGER]) {
      for (let i = 0; i < 50; i++) {
        const delay = reconnectDelaySeconds(retries);
        expect(delay).toBeGreaterThanOrEqual(RECONNECT_DELAY_MAX_SECONDS / 2);
        expect(delay).toBeLessThanOrEqual(RECONNECT_DELAY_MAX_SECONDS);
      }
    }
  });
});

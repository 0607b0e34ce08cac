import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEV_DEFAULTS, port, postgresUrl, refuseDevSecrets, sessionSecret } from './common.js';
import { ConfigError, parseConfig } from './env.js';

const schema = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: port(4000),
    DATABASE_URL: postgresUrl,
    SECRET: sessionSecret,
  })
  .superRefine(refuseDevSecrets([{ key: 'SECRET', isDev: (v) => v === DEV_DEFAULTS.sessionSecret }]));

describe('parseConfig', () => {
  it('applies defaults', () => {
    expect(parseConfig(schema, {})).toMatchObject({ PORT: 4000, DATABASE_URL: DEV_DEFAULTS.databaseUrl });
  });

  it('reports every bad variable at once, by name, without echoing values', () => {
    try {
      parseConfig(schema, { PORT: '70000', DATABASE_URL: 'http://x', SECRET: 'hunter2' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'DATABASE_URL', 'SECRET']);
      expect(problems.join('\n')).not.toContain('hunter2');
    }
  });

  it('refuses the development default secret in production only', () => {
    expect(() => parseConfig(schema, { NODE_ENV: 'production' })).toThrow(
      /SECRET: uses the development default/,
    );
    expect(() => parseConfig(schema, { NODE_ENV: 'development' })).not.toThrow();
  });
});

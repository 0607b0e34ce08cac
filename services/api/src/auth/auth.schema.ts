import { z } from 'zod';
import { safeLine } from '../http/validate.js';
import { pageQueryShape, pageSchema } from '../shared/pagination.js';
import { MAX_PASSWORD_LENGTH } from './password.js';
import { MAX_TOKEN_DAYS } from './tokens.js';

export const loginBody = z
  .strictObject({
    email: z
      .string()
      .trim()
      .max(320, 'must be at most 320 characters')
      .pipe(z.email('must be an email address')),
    password: z
      .string()
      .min(1, 'must not be empty')
      .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`),
  })
  .meta({ id: 'LoginRequest' });

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    role: z.enum(['admin', 'member']),
  })
  .meta({ id: 'User' });

export const meResponse = z
  .object({
    user: userSchema,
    authenticatedBy: z.enum(['session', 'token']),
  })
  .meta({ id: 'Me' });

export const loginResponse = z.object({ user: userSchema }).meta({ id: 'LoginResponse' });

export const createTokenBody = z
  .strictObject({
    name: safeLine(200, 1),
    expiresInDays: z
      .number()
      .int()
      .min(1)
      .max(MAX_TOKEN_DAYS, `must be at most ${MAX_TOKEN_DAYS} (days)`)
      .optional()
      .meta({ description: `Days until the token expires; at most and by default ${MAX_TOKEN_DAYS}.` }),
  })
  .meta({ id: 'CreateTokenRequest' });

export const tokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().meta({ description: 'First characters of the token, to recognise it.' }),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso
      .datetime()
      .nullable()
      .meta({
        description: `Null only for tokens created before every token expired; they expire ${MAX_TOKEN_DAYS} days after createdAt.`,
      }),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });

export const createdTokenSchema = tokenSchema
  .extend({ token: z.string().meta({ description: 'The secret; shown only in this response.' }) })
  .meta({ id: 'CreatedApiToken' });

export const tokenPage = pageSchema(tokenSchema, 'ApiTokenPage');
export const tokenListQuery = z.object({ ...pageQueryShape });

export const accountSchema = userSchema
  .extend({ disabled: z.boolean() })
  .meta({ id: 'Account', description: 'An account as administrators manage it.' });

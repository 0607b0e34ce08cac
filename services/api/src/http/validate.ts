import type { Request } from 'express';
import { z } from 'zod';
import { type FieldError, ValidationError } from '../shared/errors.js';

/** What a route may validate; each part is optional. */
export interface RequestSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** The parsed, typed request parts for a set of schemas. */
export interface Validated<S extends RequestSchemas> {
  params: Out<S['params']>;
  query: Out<S['query']>;
  body: Out<S['body']>;
}

/** Longest field path or message echoed back; hostile inputs must not make error bodies huge. */
const MAX_FIELD_LENGTH = 200;

function fieldName(path: PropertyKey[], fallback: string): string {
  if (path.length === 0) return fallback;
  const name = path.map((p) => (typeof p === 'symbol' ? p.toString() : String(p))).join('.');
  return name.length > MAX_FIELD_LENGTH ? `${name.slice(0, MAX_FIELD_LENGTH)}…` : name;
}

/**
 * Turns zod issues into one entry per bad field. Unknown keys become one entry each (zod reports them as a
 * single issue on the parent), so a client sees every field it got wrong in one round trip.
 */
export function issuesToFieldErrors(issues: z.core.$ZodIssue[], root: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys.slice(0, 20)) {
        errors.push({ field: fieldName([...issue.path, key], root), message: 'is not a known field' });
      }
      continue;
    }
    errors.push({ field: fieldName(issue.path, root), message: issue.message.slice(0, MAX_FIELD_LENGTH) });
  }
  return errors;
}

/**
 * Validates params, query and body together and throws one {@link ValidationError} naming every bad field
 * (RFC 9457 problem+json 400), or returns the parsed values. Parsing all three before throwing is what lets
 * the error list be complete.
 */
export function validate<S extends RequestSchemas>(schemas: S): (req: Request) => Validated<S> {
  return (req) => {
    const errors: FieldError[] = [];
    const out: Record<string, unknown> = { params: undefined, query: undefined, body: undefined };
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const input = part === 'body' ? (req.body ?? {}) : req[part];
      const result = schema.safeParse(input);
      if (result.success) out[part] = result.data;
      else errors.push(...issuesToFieldErrors(result.error.issues, part === 'body' ? 'body' : part));
    }
    if (errors.length > 0) throw new ValidationError(errors);
    return out as unknown as Validated<S>;
  };
}

/** Path UUIDs with the message clients already rely on. */
export const uuidSchema = () => z.uuid({ error: 'must be a UUID' });

/** `{ id }` path parameters. */
export const idParams = z.object({ id: uuidSchema() });

/**
 * Free text that must not smuggle control characters (other than tab and newlines) or lone surrogates into
 * the database: PostgreSQL rejects NUL in text, which would otherwise surface as a 500.
 */
export function safeText(max: number, min = 0) {
  return z
    .string()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !CONTROL_CHARS.test(v), 'must not contain control characters')
    .refine((v) => !LONE_SURROGATE.test(v), 'must be well-formed Unicode');
}

/** Single-line text: as {@link safeText}, trimmed, without line breaks. */
export function safeLine(max: number, min = 0) {
  return z
    .string()
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !LINE_CONTROL_CHARS.test(v), 'must not contain control characters')
    .refine((v) => !LONE_SURROGATE.test(v), 'must be well-formed Unicode');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
const LINE_CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

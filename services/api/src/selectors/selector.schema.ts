import {
  INVESTIGATION_STATUSES,
  MAX_SELECTOR_INPUT_LENGTH,
  MEMBER_ROLES,
  SELECTOR_SOURCES,
  SELECTOR_TYPES,
  TLP_LEVELS,
} from '@osint/contracts';
import { z } from 'zod';
import { safeLine, safeText, uuidSchema } from '../http/validate.js';
import { pageQueryShape, pageSchema } from '../shared/pagination.js';

const tag = safeLine(100, 1);
/** Tags and notes as the API takes them; the importer applies the same limits. */
export const tags = z.array(tag).max(50, 'must have at most 50 tags');
export const selectorNote = safeText(10_000);

export const selectorSchema = z
  .object({
    id: z.uuid().meta({ description: 'The global selector id (shared by every investigation).' }),
    type: z.enum(SELECTOR_TYPES),
    value: z.string().meta({ description: 'Normalised match key.' }),
    displayValue: z.string().meta({ description: 'The first spelling this investigation saw.' }),
    attributes: z.record(z.string(), z.unknown()).meta({
      description: "Normalisation facts and this investigation's own enrichment results.",
    }),
    firstSeenAt: z.iso.datetime().meta({ description: 'When this investigation first saw the value.' }),
    lastSeenAt: z.iso
      .datetime()
      .meta({ description: 'When this investigation last saw it (to the minute).' }),
    source: z.enum(SELECTOR_SOURCES),
    tags: z.array(z.string()),
    note: z.string().nullable(),
    falsePositive: z.boolean(),
    addedBy: z.uuid().nullable(),
    addedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'InvestigationSelector' });

export const addSelectorBody = z
  .strictObject({
    type: z.enum(SELECTOR_TYPES).optional().meta({ description: 'Detected from the value when omitted.' }),
    value: z
      .string()
      .min(1, 'must not be empty')
      .max(MAX_SELECTOR_INPUT_LENGTH, `must be at most ${MAX_SELECTOR_INPUT_LENGTH} characters`),
    platform: safeLine(63, 1).optional().meta({ description: 'For usernames written without platform:' }),
    tags: tags.optional(),
    note: selectorNote.optional(),
  })
  .meta({ id: 'AddSelectorRequest' });

export const updateSelectorBody = z
  .strictObject({
    tags: tags.optional(),
    note: selectorNote.nullable().optional(),
    falsePositive: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'must change at least one field')
  .meta({ id: 'UpdateSelectorRequest' });

const booleanQuery = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((v) => v === 'true');

export const listSelectorsQuery = z.object({
  ...pageQueryShape,
  type: z.enum(SELECTOR_TYPES).optional(),
  tag: safeLine(100, 1).optional(),
  source: z.enum(SELECTOR_SOURCES).optional(),
  falsePositive: booleanQuery.optional(),
});

export const selectorParams = z.object({ id: uuidSchema(), selectorId: uuidSchema() });

/** "Enrich now": which providers, and whether to ignore cached answers. */
export const enrichBody = z
  .strictObject({
    scope: z
      .enum(['offline', 'all'])
      .default('offline')
      .meta({ description: '`all` adds network providers (DNS) when the worker allows them.' }),
    providers: z
      .array(
        z
          .string()
          .min(1)
          .max(100)
          .regex(/^[a-z0-9-]+$/),
      )
      .min(1)
      .max(50)
      .optional(),
    refresh: z.boolean().default(false).meta({ description: 'Ignore cached provider answers.' }),
  })
  .meta({ id: 'EnrichRequest' });

export const selectorPage = pageSchema(selectorSchema, 'InvestigationSelectorPage');

export const correlationSchema = z
  .object({
    investigationId: z.uuid(),
    title: z.string(),
    status: z.enum(INVESTIGATION_STATUSES),
    tlp: z.enum(TLP_LEVELS),
    role: z.enum(MEMBER_ROLES),
    source: z.enum(SELECTOR_SOURCES),
    falsePositive: z.boolean(),
    addedAt: z.iso.datetime(),
    mentionCount: z.number().int().meta({ description: 'Mentions in that investigation’s documents.' }),
  })
  .meta({ id: 'Correlation' });

export const correlationPage = z
  .object({
    items: z.array(correlationSchema),
    nextCursor: z.string().nullable(),
    total: z
      .number()
      .int()
      .meta({ description: 'Other investigations you are a member of that contain this selector.' }),
  })
  .meta({ id: 'CorrelationPage' });

export const correlationQuery = z.object({ ...pageQueryShape });

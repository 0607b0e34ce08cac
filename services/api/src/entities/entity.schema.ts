import { ENTITY_KINDS } from '@osint/contracts';
import { z } from 'zod';
import { safeLine, uuidSchema } from '../http/validate.js';
import { pageQueryShape, pageSchema } from '../shared/pagination.js';

/** Free-form properties, bounded so one entity cannot carry megabytes of JSON. */
const properties = z
  .record(safeLine(100, 1), z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]))
  .refine((p) => Object.keys(p).length <= 100, 'must have at most 100 properties')
  .meta({ description: 'Flat key → string/number/boolean/null map (at most 100 keys).' });

export const entitySchema = z
  .object({
    id: z.uuid(),
    investigationId: z.uuid(),
    kind: z.enum(ENTITY_KINDS),
    label: z.string(),
    properties: z.record(z.string(), z.unknown()),
    createdBy: z.uuid(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Entity' });

export const createEntityBody = z
  .strictObject({
    kind: z.enum(ENTITY_KINDS),
    label: safeLine(500, 1),
    properties: properties.default({}),
  })
  .meta({ id: 'CreateEntityRequest' });

export const updateEntityBody = z
  .strictObject({
    kind: z.enum(ENTITY_KINDS).optional(),
    label: safeLine(500, 1).optional(),
    properties: properties.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'must change at least one field')
  .meta({ id: 'UpdateEntityRequest' });

export const entityParams = z.object({ id: uuidSchema(), entityId: uuidSchema() });

export const listEntitiesQuery = z.object({ ...pageQueryShape, kind: z.enum(ENTITY_KINDS).optional() });

export const entityPage = pageSchema(entitySchema, 'EntityPage');

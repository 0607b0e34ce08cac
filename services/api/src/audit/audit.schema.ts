import { z } from 'zod';
import { safeLine, uuidSchema } from '../http/validate.js';
import { pageQueryShape, pageSchema } from '../shared/pagination.js';

export const auditEventSchema = z
  .object({
    id: z.string().meta({ description: 'Monotonic event number (string: may exceed 2^53).' }),
    at: z.iso.datetime(),
    actorType: z.enum(['user', 'job', 'system']),
    actorId: z.uuid().nullable(),
    action: z.string(),
    objectType: z.string(),
    objectId: z.string().nullable(),
    investigationId: z.uuid().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });

const filters = {
  action: safeLine(100, 1).optional(),
  objectType: safeLine(100, 1).optional(),
  objectId: safeLine(200, 1).optional(),
  actor: uuidSchema().optional().meta({ description: 'Actor (user or job) id.' }),
};

export const investigationAuditQuery = z.object({ ...pageQueryShape, ...filters });

export const globalAuditQuery = z.object({
  ...pageQueryShape,
  ...filters,
  investigationId: uuidSchema().optional(),
});

export const auditPage = pageSchema(auditEventSchema, 'AuditEventPage');

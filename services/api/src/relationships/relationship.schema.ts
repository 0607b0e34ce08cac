import { OBJECT_KINDS, RELATIONSHIP_TYPES } from '@osint/contracts';
import { z } from 'zod';
import { uuidSchema } from '../http/validate.js';
import { pageQueryShape, pageSchema } from '../shared/pagination.js';

const endpoint = z.strictObject({ kind: z.enum(OBJECT_KINDS), id: uuidSchema() }).meta({
  id: 'ObjectRef',
  description: 'A selector (global selector id), entity or document in the investigation.',
});

export const relationshipSchema = z
  .object({
    id: z.uuid(),
    investigationId: z.uuid(),
    source: z.object({ kind: z.enum(OBJECT_KINDS), id: z.uuid() }),
    target: z.object({ kind: z.enum(OBJECT_KINDS), id: z.uuid() }),
    type: z.enum(RELATIONSHIP_TYPES),
    confidence: z.number().int(),
    evidenceDocumentId: z.uuid().nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Relationship' });

export const createRelationshipBody = z
  .strictObject({
    source: endpoint,
    target: endpoint,
    type: z.enum(RELATIONSHIP_TYPES),
    confidence: z.number().int().min(0).max(100).default(50),
    evidenceDocumentId: uuidSchema().nullable().default(null),
  })
  .refine((b) => !(b.source.kind === b.target.kind && b.source.id === b.target.id), {
    message: 'must differ from source',
    path: ['target'],
  })
  .meta({ id: 'CreateRelationshipRequest' });

export const relationshipParams = z.object({ id: uuidSchema(), relationshipId: uuidSchema() });

export const listRelationshipsQuery = z.object({
  ...pageQueryShape,
  type: z.enum(RELATIONSHIP_TYPES).optional(),
  objectKind: z.enum(OBJECT_KINDS).optional(),
  objectId: uuidSchema().optional().meta({ description: 'With objectKind: edges touching that object.' }),
});

export const relationshipPage = pageSchema(relationshipSchema, 'RelationshipPage');

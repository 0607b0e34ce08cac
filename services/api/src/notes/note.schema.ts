import { z } from 'zod';
import { safeText, uuidSchema } from '../http/validate.js';
import { pageQueryShape, pageSchema } from '../shared/pagination.js';

export const NOTE_TARGET_KINDS = ['selector', 'entity', 'document', 'relationship'] as const;

const target = z.strictObject({ kind: z.enum(NOTE_TARGET_KINDS), id: uuidSchema() }).meta({
  id: 'NoteTarget',
  description: 'The object the note is about; omit for the investigation itself.',
});

export const noteSchema = z
  .object({
    id: z.uuid(),
    investigationId: z.uuid(),
    target: z.object({ kind: z.enum(NOTE_TARGET_KINDS), id: z.uuid() }).nullable(),
    body: z.string().meta({ description: 'Markdown source; clients render and sanitise it.' }),
    authorId: z.uuid(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Note' });

export const createNoteBody = z
  .strictObject({ body: safeText(100_000, 1), target: target.nullable().default(null) })
  .meta({ id: 'CreateNoteRequest' });

export const updateNoteBody = z
  .strictObject({ body: safeText(100_000, 1) })
  .meta({ id: 'UpdateNoteRequest' });

export const noteParams = z.object({ id: uuidSchema(), noteId: uuidSchema() });

export const listNotesQuery = z.object({
  ...pageQueryShape,
  targetKind: z.enum([...NOTE_TARGET_KINDS, 'investigation']).optional(),
  targetId: uuidSchema().optional(),
});

export const notePage = pageSchema(noteSchema, 'NotePage');

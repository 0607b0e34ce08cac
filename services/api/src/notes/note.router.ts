import type { ApiDeps } from '../deps.js';
import type { ApiRoutes } from '../http/route.js';
import { idParams } from '../http/validate.js';
import {
  createNoteBody,
  listNotesQuery,
  notePage,
  noteParams,
  noteSchema,
  updateNoteBody,
} from './note.schema.js';
import { createNote, deleteNote, getNote, listNotes, updateNote } from './note.service.js';

export function noteRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const tag = 'notes';
  const base = '/investigations/:id/notes';

  routes.add({
    method: 'post',
    path: base,
    operationId: 'createNote',
    summary: 'Write a Markdown note on the investigation or on an object in it (editors).',
    tag,
    auth: 'user',
    request: { params: idParams, body: createNoteBody },
    responses: { 201: { description: 'Created.', schema: noteSchema } },
    handler: async ({ params, body, actor }, _req, res) => {
      res.status(201).json(await createNote(deps.db, actor, params.id, body));
    },
  });

  routes.add({
    method: 'get',
    path: base,
    operationId: 'listNotes',
    summary:
      'Notes, newest first; filter by target (targetKind=investigation for notes on the investigation).',
    tag,
    auth: 'user',
    request: { params: idParams, query: listNotesQuery },
    responses: { 200: { description: 'A page of notes.', schema: notePage } },
    handler: async ({ params, query, user }, _req, res) => {
      res.json(await listNotes(deps, user.id, params.id, query));
    },
  });

  routes.add({
    method: 'get',
    path: `${base}/:noteId`,
    operationId: 'getNote',
    summary: 'One note.',
    tag,
    auth: 'user',
    request: { params: noteParams },
    responses: { 200: { description: 'The note.', schema: noteSchema } },
    handler: async ({ params, user }, _req, res) => {
      res.json(await getNote(deps.db, user.id, params.id, params.noteId));
    },
  });

  routes.add({
    method: 'patch',
    path: `${base}/:noteId`,
    operationId: 'updateNote',
    summary: 'Replace the body of a note (editors).',
    tag,
    auth: 'user',
    request: { params: noteParams, body: updateNoteBody },
    responses: { 200: { description: 'Updated.', schema: noteSchema } },
    handler: async ({ params, body, actor }, _req, res) => {
      res.json(await updateNote(deps.db, actor, params.id, params.noteId, body.body));
    },
  });

  routes.add({
    method: 'delete',
    path: `${base}/:noteId`,
    operationId: 'deleteNote',
    summary: 'Delete a note (editors).',
    tag,
    auth: 'user',
    request: { params: noteParams },
    responses: { 204: { description: 'Deleted.' } },
    handler: async ({ params, actor }, _req, res) => {
      await deleteNote(deps.db, actor, params.id, params.noteId);
      res.status(204).end();
    },
  });
}

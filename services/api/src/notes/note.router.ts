import type { ApiDeps } from '../deps.js';
import { collectionRoutes } from '../http/collection-routes.js';
import type { ApiRoutes } from '../http/route.js';
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
  collectionRoutes(routes, deps, {
    tag: 'notes',
    key: 'noteId',
    params: noteParams,
    noun: 'note',
    schema: noteSchema,
    create: {
      operationId: 'createNote',
      summary: 'Write a Markdown note on the investigation or on an object in it (editors).',
      body: createNoteBody,
      run: createNote,
    },
    list: {
      operationId: 'listNotes',
      summary:
        'Notes, newest first; filter by target (targetKind=investigation for notes on the investigation).',
      query: listNotesQuery,
      page: notePage,
      run: listNotes,
    },
    get: { operationId: 'getNote', summary: 'One note.', run: getNote },
    update: {
      operationId: 'updateNote',
      summary: 'Replace the body of a note (editors).',
      body: updateNoteBody,
      run: (db, actor, investigationId, noteId, body) =>
        updateNote(db, actor, investigationId, noteId, body.body),
    },
    remove: { operationId: 'deleteNote', summary: 'Delete a note (editors).', run: deleteNote },
  });
}

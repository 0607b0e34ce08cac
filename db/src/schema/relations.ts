import { relations } from 'drizzle-orm';
import { documents, mentions } from './documents.js';
import { entities, relationships } from './graph.js';
import { investigations, memberships } from './investigations.js';
import { jobs } from './jobs.js';
import { notes } from './notes.js';
import { investigationSelectors, selectors } from './selectors.js';
import { apiTokens, sessions, users } from './users.js';

/*
 * Drizzle relation metadata for `db.query.*` (relational queries). It adds no SQL; the foreign keys in the
 * table files are the source of truth. Polymorphic endpoints (relationships, notes) have no relation here.
 */

export const usersRelations = relations(users, ({ many }) => ({
  sessions: many(sessions),
  apiTokens: many(apiTokens),
  memberships: many(memberships),
}));

export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
}));

export const apiTokensRelations = relations(apiTokens, ({ one }) => ({
  user: one(users, { fields: [apiTokens.userId], references: [users.id] }),
}));

export const investigationsRelations = relations(investigations, ({ one, many }) => ({
  creator: one(users, { fields: [investigations.createdBy], references: [users.id] }),
  memberships: many(memberships),
  selectors: many(investigationSelectors),
  documents: many(documents),
  entities: many(entities),
  relationships: many(relationships),
  notes: many(notes),
  jobs: many(jobs),
}));

export const membershipsRelations = relations(memberships, ({ one }) => ({
  investigation: one(investigations, {
    fields: [memberships.investigationId],
    references: [investigations.id],
  }),
  user: one(users, { fields: [memberships.userId], references: [users.id] }),
}));

export const selectorsRelations = relations(selectors, ({ many }) => ({
  investigations: many(investigationSelectors),
  mentions: many(mentions),
}));

export const investigationSelectorsRelations = relations(investigationSelectors, ({ one }) => ({
  investigation: one(investigations, {
    fields: [investigationSelectors.investigationId],
    references: [investigations.id],
  }),
  selector: one(selectors, { fields: [investigationSelectors.selectorId], references: [selectors.id] }),
  addedByUser: one(users, { fields: [investigationSelectors.addedBy], references: [users.id] }),
  addedByJob: one(jobs, { fields: [investigationSelectors.addedByJobId], references: [jobs.id] }),
}));

export const documentsRelations = relations(documents, ({ one, many }) => ({
  investigation: one(investigations, {
    fields: [documents.investigationId],
    references: [investigations.id],
  }),
  creator: one(users, { fields: [documents.createdBy], references: [users.id] }),
  mentions: many(mentions),
}));

export const mentionsRelations = relations(mentions, ({ one }) => ({
  document: one(documents, { fields: [mentions.documentId], references: [documents.id] }),
  selector: one(selectors, { fields: [mentions.selectorId], references: [selectors.id] }),
}));

export const entitiesRelations = relations(entities, ({ one }) => ({
  investigation: one(investigations, { fields: [entities.investigationId], references: [investigations.id] }),
  creator: one(users, { fields: [entities.createdBy], references: [users.id] }),
}));

export const relationshipsRelations = relations(relationships, ({ one }) => ({
  investigation: one(investigations, {
    fields: [relationships.investigationId],
    references: [investigations.id],
  }),
  evidenceDocument: one(documents, {
    fields: [relationships.evidenceDocumentId],
    references: [documents.id],
  }),
  creatorUser: one(users, { fields: [relationships.createdByUser], references: [users.id] }),
  creatorJob: one(jobs, { fields: [relationships.createdByJob], references: [jobs.id] }),
}));

export const notesRelations = relations(notes, ({ one }) => ({
  investigation: one(investigations, { fields: [notes.investigationId], references: [investigations.id] }),
  author: one(users, { fields: [notes.authorId], references: [users.id] }),
}));

export const jobsRelations = relations(jobs, ({ one }) => ({
  investigation: one(investigations, { fields: [jobs.investigationId], references: [investigations.id] }),
}));

import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type ExtractJobPayload, QUEUES } from '@osint/core';
import { type Database, documents, type Transaction } from '@osint/db';
import {
  type Actor,
  enqueueCommitted,
  insertJobRow,
  recordAudit,
  sqlState,
  UNIQUE_VIOLATION,
} from '@osint/writes';
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import type { UploadedFile } from '../http/multipart.js';
import { requireRole, transactionAs } from '../investigations/access.js';
import { AppError, NotFoundError } from '../shared/errors.js';
import { newestFirst, type Page } from '../shared/pagination.js';
import type { listDocumentsQuery } from './document.schema.js';

type DocumentRow = typeof documents.$inferSelect;
type DocumentMeta = Omit<DocumentRow, 'content' | 'extractedText' | 'searchVector'>;

export function presentDocument(row: DocumentMeta) {
  return {
    id: row.id,
    investigationId: row.investigationId,
    title: row.title,
    sourceUrl: row.sourceUrl,
    mediaType: row.mediaType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    extractionStatus: row.extractionStatus,
    error: row.error,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Columns for lists and audit: never the bytes, the text or the search vector. */
const {
  content: _content,
  extractedText: _text,
  searchVector: _vector,
  ...metaColumns
} = getTableColumns(documents);

export interface NewDocument {
  title: string;
  sourceUrl: string | null;
  mediaType: string;
  /** Pasted text (small, bounded by BODY_LIMIT) in memory, or an upload spooled to disk. */
  bytes: Buffer | UploadedFile;
}

/** Size of the chunks an upload is copied into its row with: the API never holds a whole file. */
const STORE_CHUNK_BYTES = 1024 * 1024;

/**
 * Appends a spooled upload to the row's (empty) content, one chunk per statement; the size grows with it
 * (a check keeps `size_bytes` equal to the content's length after every statement).
 */
async function storeSpooled(tx: Transaction, documentId: string, file: UploadedFile): Promise<void> {
  for await (const chunk of createReadStream(file.path, { highWaterMark: STORE_CHUNK_BYTES })) {
    const bytes = chunk as Buffer;
    await tx.execute(
      sql`update ${documents} set content = content || ${bytes}, size_bytes = size_bytes + ${bytes.length}
          where id = ${documentId}`,
    );
  }
}

export class DuplicateDocumentError extends AppError {
  constructor(investigationId: string, existingId: string) {
    super(409, 'duplicate_document', 'This investigation already holds a document with the same bytes.', {
      existingId,
      url: `/api/v1/investigations/${investigationId}/documents/${existingId}`,
    });
  }
}

async function existingBySha(db: Database, investigationId: string, sha256: string) {
  const [row] = await db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.investigationId, investigationId), eq(documents.sha256, sha256)))
    .limit(1);
  return row?.id;
}

/**
 * Stores a document, its `extract` job and its audit event in one transaction, then enqueues the job
 * (jobId = row id) after commit: with Redis down or hung the document is kept and the sweeper relays the
 * job (ADR 0018). The same bytes twice in one investigation are one document (409 naming it).
 */
export async function createDocument(
  deps: ApiDeps,
  actor: Actor,
  investigationId: string,
  input: NewDocument,
) {
  const spooled = Buffer.isBuffer(input.bytes) ? null : input.bytes;
  const sha256 =
    spooled?.sha256 ??
    createHash('sha256')
      .update(input.bytes as Buffer)
      .digest('hex');
  const duplicate = await existingBySha(deps.db, investigationId, sha256);
  if (duplicate) {
    // Only members learn about duplicates: check the role before answering.
    await requireRole(deps.db, actor.userId, investigationId, 'editor');
    throw new DuplicateDocumentError(investigationId, duplicate);
  }
  try {
    const created = await transactionAs(deps.db, actor, investigationId, 'editor', async (tx) => {
      const [doc] = await tx
        .insert(documents)
        .values({
          investigationId,
          title: input.title,
          sourceUrl: input.sourceUrl,
          mediaType: input.mediaType,
          sizeBytes: spooled ? 0 : (input.bytes as Buffer).length,
          sha256,
          content: spooled ? Buffer.alloc(0) : (input.bytes as Buffer),
          createdBy: actor.userId,
        })
        .returning(metaColumns);
      if (!doc) throw new Error('insert returned no row');
      if (spooled) {
        await storeSpooled(tx, doc.id, spooled);
        doc.sizeBytes = spooled.size;
      }
      // The payload is also kept on the row so the worker's sweeper can re-enqueue it from PostgreSQL.
      const jobId = randomUUID();
      const payload: ExtractJobPayload = { jobId, documentId: doc.id };
      const job = await insertJobRow(tx, {
        id: jobId,
        kind: QUEUES.extract,
        investigationId,
        targetType: 'document',
        targetId: doc.id,
        payload,
        requestId: actor.requestId,
      });
      const presented = presentDocument(doc);
      await recordAudit(tx, actor, {
        action: 'document.create',
        objectType: 'document',
        objectId: doc.id,
        investigationId,
        after: { ...presented, jobId: job.id },
      });
      return { document: presented, job };
    });
    await enqueueCommitted(deps, deps.queues.extract, created.job.id, created.job.payload);
    return created;
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) {
      const existing = await existingBySha(deps.db, investigationId, sha256);
      if (existing) throw new DuplicateDocumentError(investigationId, existing);
    }
    throw error;
  }
}

export async function getDocument(db: Database, userId: string, investigationId: string, documentId: string) {
  await requireRole(db, userId, investigationId, 'viewer');
  const [row] = await db
    .select({ ...metaColumns, extractedText: documents.extractedText })
    .from(documents)
    .where(and(eq(documents.id, documentId), eq(documents.investigationId, investigationId)))
    .limit(1);
  if (!row) throw new NotFoundError('document');
  return { ...presentDocument(row), extractedText: row.extractedText };
}

export async function listDocuments(
  deps: ApiDeps,
  userId: string,
  investigationId: string,
  query: z.output<typeof listDocumentsQuery>,
): Promise<Page<ReturnType<typeof presentDocument>>> {
  await requireRole(deps.db, userId, investigationId, 'viewer');
  const list = newestFirst(
    deps.cursors,
    `documents:${investigationId}:${query.extractionStatus ?? ''}`,
    query,
    documents.createdAt,
    documents.id,
  );
  const rows = await list.fetch(
    deps.db
      .select({ ...metaColumns, t: list.time })
      .from(documents)
      .$dynamic(),
    eq(documents.investigationId, investigationId),
    query.extractionStatus ? eq(documents.extractionStatus, query.extractionStatus) : undefined,
  );
  return list.page(rows, presentDocument, (r) => r.id);
}

/** Editors; mentions go with the document, relationships keep their edge but lose the evidence link. */
export async function deleteDocument(
  db: Database,
  actor: Actor,
  investigationId: string,
  documentId: string,
) {
  await transactionAs(db, actor, investigationId, 'editor', async (tx) => {
    const [before] = await tx
      .delete(documents)
      .where(and(eq(documents.id, documentId), eq(documents.investigationId, investigationId)))
      .returning(metaColumns);
    if (!before) throw new NotFoundError('document');
    await recordAudit(tx, actor, {
      action: 'document.delete',
      objectType: 'document',
      objectId: documentId,
      investigationId,
      before: presentDocument(before),
    });
  });
}

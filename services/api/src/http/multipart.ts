import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import busboy from 'busboy';
import type { Request } from 'express';
import { AppError } from '../shared/errors.js';

/** How much of the file's start is kept in memory, for recognising what it is (magic numbers, NUL bytes). */
export const HEAD_BYTES = 64 * 1024;

/** An uploaded file spooled to disk while it arrived: never held whole in memory. */
export interface UploadedFile {
  /** The spooled bytes; removed by `discard`. */
  path: string;
  size: number;
  sha256: string;
  /** The first {@link HEAD_BYTES} bytes. */
  head: Buffer;
  filename: string;
  mimeType: string;
}

export interface ParsedUpload {
  fields: Record<string, string>;
  file: UploadedFile | null;
  /** Removes the spooled file; call it once the bytes are stored (or refused). */
  discard: () => Promise<void>;
}

/** Small form fields next to the file (title, source URL); anything larger is not a form field. */
const MAX_FIELD_BYTES = 64 * 1024;

export class UploadTooLargeError extends AppError {
  constructor(maxBytes: number) {
    super(
      413,
      'document_too_large',
      `The document is larger than the ${maxBytes} bytes this server accepts.`,
      {
        maxBytes,
      },
    );
  }
}

/**
 * Streams a multipart/form-data request with busboy, writing its one file to a fresh directory under
 * `spoolDir` as it arrives (hashing it on the way) and stopping as soon as a limit is crossed (413), so an
 * oversized, endless or slow upload costs a bounded amount of memory: a few chunks and the file's head.
 * On any failure the spooled file is removed before the promise rejects.
 */
export async function parseMultipart(
  req: Request,
  fileField: string,
  maxBytes: number,
  spoolDir: string,
): Promise<ParsedUpload> {
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes + 16 * MAX_FIELD_BYTES) {
    throw new UploadTooLargeError(maxBytes);
  }
  const dir = await mkdtemp(path.join(spoolDir, 'upload-'));
  const discard = () => rm(dir, { recursive: true, force: true });
  try {
    return await spool(req, fileField, maxBytes, dir, discard);
  } catch (error) {
    await discard();
    throw error;
  }
}

function spool(
  req: Request,
  fileField: string,
  maxBytes: number,
  dir: string,
  discard: () => Promise<void>,
): Promise<ParsedUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12, fieldSize: MAX_FIELD_BYTES },
      });
    } catch {
      reject(new AppError(400, 'malformed_multipart', 'The multipart body has no usable boundary.'));
      return;
    }
    const fields: Record<string, string> = {};
    let file: UploadedFile | null = null;
    let failed: AppError | null = null;
    let pending: Promise<void> = Promise.resolve();
    const fail = (error: AppError) => {
      if (failed) return;
      failed = error;
      req.unpipe(parser);
      // Drain what the client still sends so the 4xx can be written on a healthy connection.
      req.resume();
      reject(error);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated)
        fail(new AppError(400, 'field_too_large', `The form field "${name}" is too large.`));
      else fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== fileField || file !== null) {
        stream.resume();
        fail(new AppError(400, 'unexpected_file', `Send exactly one file, in the "${fileField}" field.`));
        return;
      }
      const target = path.join(dir, 'file');
      const out = createWriteStream(target, { flags: 'wx' });
      const hash = createHash('sha256');
      const head: Buffer[] = [];
      let headLength = 0;
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        hash.update(chunk);
        if (headLength < HEAD_BYTES) {
          head.push(chunk.subarray(0, HEAD_BYTES - headLength));
          headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
        }
      });
      stream.pipe(out);
      stream.on('limit', () => fail(new UploadTooLargeError(maxBytes)));
      // busboy also errors the file stream of a truncated body; without a listener that would crash.
      stream.on('error', () =>
        fail(new AppError(400, 'malformed_multipart', 'The multipart body is malformed.')),
      );
      pending = new Promise((done) => {
        out.on('error', () => {
          fail(new AppError(503, 'upload_spool_failed', 'The upload could not be stored; try again.'));
          done();
        });
        out.on('close', () => {
          file = {
            path: target,
            size,
            sha256: hash.digest('hex'),
            head: Buffer.concat(head),
            filename: info.filename ?? '',
            mimeType: info.mimeType,
          };
          done();
        });
      });
    });
    parser.on('partsLimit', () => fail(new AppError(400, 'too_many_parts', 'The form has too many parts.')));
    parser.on('filesLimit', () => fail(new AppError(400, 'unexpected_file', 'Send exactly one file.')));
    parser.on('fieldsLimit', () =>
      fail(new AppError(400, 'too_many_fields', 'The form has too many fields.')),
    );
    parser.on('error', () =>
      fail(new AppError(400, 'malformed_multipart', 'The multipart body is malformed.')),
    );
    parser.on('close', () => {
      void pending.then(() => {
        if (!failed) resolve({ fields, file, discard });
      });
    });
    req.on('aborted', () => fail(new AppError(400, 'request_aborted', 'The upload was aborted.')));
    req.pipe(parser);
  });
}

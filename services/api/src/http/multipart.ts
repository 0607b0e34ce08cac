import busboy from 'busboy';
import type { Request } from 'express';
import { AppError } from './errors.js';

export interface UploadedFile {
  buffer: Buffer;
  filename: string;
  mimeType: string;
}

export interface ParsedUpload {
  fields: Record<string, string>;
  file: UploadedFile | null;
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
 * Streams a multipart/form-data request with busboy, keeping at most one file of `maxBytes` in memory and
 * stopping as soon as a limit is crossed (413), so an oversized or endless upload costs bounded memory.
 */
export function parseMultipart(req: Request, fileField: string, maxBytes: number): Promise<ParsedUpload> {
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes + 16 * MAX_FIELD_BYTES) {
    return Promise.reject(new UploadTooLargeError(maxBytes));
  }
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
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(new UploadTooLargeError(maxBytes)));
      // busboy also errors the file stream of a truncated body; without a listener that would crash.
      stream.on('error', () =>
        fail(new AppError(400, 'malformed_multipart', 'The multipart body is malformed.')),
      );
      pending = new Promise((done) => {
        stream.on('end', () => {
          file = { buffer: Buffer.concat(chunks), filename: info.filename ?? '', mimeType: info.mimeType };
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
        if (!failed) resolve({ fields, file });
      });
    });
    req.on('aborted', () => fail(new AppError(400, 'request_aborted', 'The upload was aborted.')));
    req.pipe(parser);
  });
}

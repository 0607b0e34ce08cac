import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

/** Bytes gathered before one write: large enough to keep syscalls few, small enough to keep memory flat. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Append-only text sink over a file stream with backpressure: `write` resolves once the bytes are
 * buffered, waiting for `drain` whenever the stream's buffer is full, so memory stays bounded by the
 * chunk size whatever the file's size. It also counts bytes and hashes them (SHA-256) on the way.
 */
export class FileSink {
  private readonly stream: WriteStream;
  private readonly hash = createHash('sha256');
  private pending: string[] = [];
  private pendingLength = 0;
  bytes = 0;

  constructor(path: string) {
    // Owner read/write, group read: exports hold TLP-marked material.
    this.stream = createWriteStream(path, { flags: 'w', mode: 0o640 });
  }

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= CHUNK_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    this.hash.update(buf);
    this.bytes += buf.length;
    if (!this.stream.write(buf)) await once(this.stream, 'drain');
  }

  /** Flushes, closes and returns the file's size and SHA-256. */
  async close(): Promise<{ bytes: number; sha256: string }> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Closes without caring about the outcome (the caller is about to delete the file). */
  destroy(): void {
    this.stream.destroy();
  }
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  type ExtractedSelector,
  UnreadablePdfError,
  UnsupportedMediaTypeError,
} from '../extraction/index.js';
import { type BudgetLimit, ExtractionBudgetError, timeBudgetMs } from './budget.js';
import type { ExtractionLimits } from './settings.js';
import type { DocumentExtraction, ExtractionTask, TaskOptions } from './tasks.js';
import type { TaskMessage, ThreadMessage } from './thread.js';

interface Pending {
  task: ExtractionTask;
  /** Input size the time budget is proportional to (bytes of a document, characters of a text). */
  size: number;
  transfer: ArrayBuffer[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Running extends Pending {
  id: number;
  /** Set when the thread is ready and the clock starts; budgets exclude the thread's start-up. */
  deadline: number;
  /** The whole budget (ms): the input's share, plus a converted text's once reported. */
  budgetMs: number;
  timer: NodeJS.Timeout | undefined;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  current: Running | null;
}

/**
 * The URL of tsx's ESM registration API, for threads started from TypeScript sources (tests, `npm start`):
 * Node 20 does not hand the parent's `--import tsx` hooks to worker threads, and a `.ts` entry cannot be
 * given to `new Worker` directly, so the thread registers tsx itself before importing thread.ts
 * (tsx docs, "Node.js API → register()"). Read from tsx's own exports map, not from its file layout.
 */
function tsxRegisterUrl(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const entry = manifest.exports['./esm/api']?.import.default;
  if (!entry) throw new Error('tsx has no ./esm/api export');
  return pathToFileURL(path.join(path.dirname(manifestPath), entry)).href;
}

/**
 * A thread running thread.ts: the compiled file under dist, or the TypeScript source through tsx. The test
 * suite hands in one bundle of thread.ts built per run (EXTRACTION_THREAD_MODULE, tests/setup/
 * extraction-thread.ts): tsx's loader costs each thread about 1.3 CPU-seconds of start-up.
 */
function startThread(limits: ExtractionLimits): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: limits.EXTRACTION_HEAP_MB };
  // A test-suite aid only: production never loads a thread module named by the environment.
  const prebuilt = process.env.NODE_ENV === 'production' ? undefined : process.env.EXTRACTION_THREAD_MODULE;
  if (prebuilt) return new Worker(new URL(prebuilt), { resourceLimits });
  if (import.meta.url.endsWith('.ts')) {
    const thread = new URL('./thread.ts', import.meta.url).href;
    const code = `import(${JSON.stringify(tsxRegisterUrl())}).then((m) => { m.register(); return import(${JSON.stringify(thread)}); });`;
    // The sources import workspace packages (@osint/contracts) through their `source` export condition.
    const execArgv = [...process.execArgv, '--conditions=source'];
    return new Worker(code, { eval: true, resourceLimits, execArgv });
  }
  return new Worker(new URL('./thread.js', import.meta.url), { resourceLimits });
}

const SIZE_LIMITS = {
  text_chars: { setting: 'EXTRACTION_MAX_TEXT_CHARS', unit: 'characters' },
  input_bytes: { setting: 'EXTRACTION_MAX_INPUT_BYTES', unit: 'bytes' },
} as const;

/** The refusal of an input larger than extraction reads (checked before a thread is taken); null when it fits. */
function sizeRefusal(
  limits: ExtractionLimits,
  limit: keyof typeof SIZE_LIMITS,
  subject: string,
  size: number,
): ExtractionBudgetError | null {
  const { setting, unit } = SIZE_LIMITS[limit];
  const cap = limits[setting];
  if (size <= cap) return null;
  return new ExtractionBudgetError(
    limit,
    cap,
    `${subject} has ${size} ${unit}, more than the ${cap} extraction reads (${setting})`,
  );
}

function rebuildError(error: { name: string; message: string; limit?: string; value?: number }): Error {
  switch (error.name) {
    case 'ExtractionBudgetError':
      return new ExtractionBudgetError(error.limit as BudgetLimit, error.value ?? 0, error.message);
    case 'UnsupportedMediaTypeError':
      return new UnsupportedMediaTypeError(error.message);
    case 'UnreadablePdfError':
      return new UnreadablePdfError(error.message);
    default: {
      const e = new Error(error.message);
      e.name = error.name;
      return e;
    }
  }
}

/**
 * Runs extraction, and the third-party HTML and PDF parsers it uses, on worker threads, so neither the
 * API's event loop nor the worker's main thread ever runs them (ADR 0017). Every task has a time budget
 * proportional to its input (EXTRACTION_TIME_BASE_MS + EXTRACTION_TIME_PER_MB_MS per MB, grown by the
 * converted text's length once a document is converted), a heap limit per thread (`resourceLimits`) and
 * input caps. A thread over its time is terminated, one over its heap dies; the task fails with
 * {@link ExtractionBudgetError} and a fresh thread takes the next task. Threads start on first use.
 */
export class ExtractionPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly limits: ExtractionLimits) {}

  /** Selectors in a text (the "paste a list" look-up). */
  extractText(text: string, options: TaskOptions = {}): Promise<ExtractedSelector[]> {
    const tooLarge = sizeRefusal(this.limits, 'text_chars', 'the text', text.length);
    if (tooLarge) return Promise.reject(tooLarge);
    return this.submit({ kind: 'text', text, options }, text.length, []) as Promise<ExtractedSelector[]>;
  }

  /** A stored document's text (plain, HTML, PDF) and the selectors in it. */
  extractDocument(
    bytes: Uint8Array,
    mediaType: string,
    options: TaskOptions = {},
  ): Promise<DocumentExtraction> {
    const tooLarge = sizeRefusal(this.limits, 'input_bytes', 'the document', bytes.length);
    if (tooLarge) return Promise.reject(tooLarge);
    // A copy the thread owns (transferred, not cloned again): the caller's buffer may be a pooled slice.
    const own = new Uint8Array(bytes);
    return this.submit(
      {
        kind: 'document',
        bytes: own,
        mediaType,
        options,
        maxTextChars: this.limits.EXTRACTION_MAX_TEXT_CHARS,
        maxPdfDecompressedBytes: this.limits.EXTRACTION_PDF_MAX_DECOMPRESSED_BYTES,
      },
      bytes.length,
      [own.buffer],
    ) as Promise<DocumentExtraction>;
  }

  /** Threads started, busy and waiting tasks (for logs and tests). */
  stats(): { threads: number; busy: number; queued: number } {
    return {
      threads: this.slots.length,
      busy: this.slots.filter((s) => s.current).length,
      queued: this.queue.length,
    };
  }

  /** Terminates every thread; running and waiting tasks fail. */
  async close(): Promise<void> {
    this.closed = true;
    const closing = new Error('the extraction pool is closed');
    for (const pending of this.queue.splice(0)) pending.reject(closing);
    await Promise.all(
      this.slots.splice(0).map((slot) => {
        if (slot.current) this.settle(slot, closing);
        return slot.worker.terminate();
      }),
    );
  }

  private submit(task: ExtractionTask, size: number, transfer: ArrayBuffer[]): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the extraction pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, size, transfer, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => s.current === null);
      if (!slot) {
        if (this.slots.length >= this.limits.EXTRACTION_THREADS) return;
        slot = this.spawn();
      }
      this.run(slot, this.queue.shift() as Pending);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: startThread(this.limits), ready: false, current: null };
    slot.worker.unref();
    slot.worker.on('message', (message: ThreadMessage) => this.onMessage(slot, message));
    slot.worker.on('error', (error: Error & { code?: string }) => {
      this.retire(slot);
      if (!slot.current) return;
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        const mb = this.limits.EXTRACTION_HEAP_MB;
        this.settle(
          slot,
          new ExtractionBudgetError(
            'heap',
            mb,
            `extraction needed more than its ${mb} MB heap (EXTRACTION_HEAP_MB)`,
          ),
        );
      } else {
        this.settle(slot, new Error(`the extraction thread failed: ${error.message}`));
      }
    });
    slot.worker.on('exit', (code) => {
      this.retire(slot);
      if (slot.current) this.settle(slot, new Error(`the extraction thread exited (code ${code})`));
    });
    this.slots.push(slot);
    return slot;
  }

  private run(slot: Slot, pending: Pending): void {
    const id = this.nextId++;
    const running: Running = { ...pending, id, deadline: 0, budgetMs: 0, timer: undefined };
    slot.current = running;
    slot.worker.ref();
    const message: TaskMessage = { id, task: pending.task };
    // A thread still starting queues the message; its clock starts with its 'ready'.
    slot.worker.postMessage(message, pending.transfer);
    if (slot.ready) this.startClock(slot, running);
  }

  private startClock(slot: Slot, running: Running): void {
    const budget = timeBudgetMs(running.size, this.limits);
    running.budgetMs = budget;
    running.deadline = Date.now() + budget;
    running.timer = setTimeout(() => this.overTime(slot, running), budget);
  }

  private onMessage(slot: Slot, message: ThreadMessage): void {
    if (message.type === 'ready') {
      slot.ready = true;
      if (slot.current) this.startClock(slot, slot.current);
      return;
    }
    const running = slot.current;
    if (!running || running.id !== message.id) return;
    if (message.type === 'loaded') {
      // The thread loaded a parser (pdf.js) for the first time: the input's clock starts now.
      clearTimeout(running.timer);
      this.startClock(slot, running);
      return;
    }
    if (message.type === 'text') {
      // The document turned out to hold this much text: extraction over it gets its share of time too.
      clearTimeout(running.timer);
      const share = Math.ceil((this.limits.EXTRACTION_TIME_PER_MB_MS * message.chars) / 1_000_000);
      running.deadline += share;
      running.budgetMs += share;
      running.timer = setTimeout(
        () => this.overTime(slot, running),
        Math.max(0, running.deadline - Date.now()),
      );
      return;
    }
    this.settle(slot, message.type === 'done' ? null : rebuildError(message.error), message);
    this.pump();
  }

  private overTime(slot: Slot, running: Running): void {
    if (slot.current !== running) return;
    const budget = running.budgetMs;
    this.retire(slot);
    this.settle(
      slot,
      new ExtractionBudgetError(
        'time',
        this.limits.EXTRACTION_TIME_PER_MB_MS,
        `extraction took longer than its time budget (${budget} ms for ${running.size} ${running.task.kind === 'text' ? 'characters' : 'bytes'} of input: EXTRACTION_TIME_BASE_MS + EXTRACTION_TIME_PER_MB_MS per MB of input${running.task.kind === 'text' ? '' : ' and of its text'})`,
      ),
    );
    void slot.worker.terminate();
    this.pump();
  }

  /** Takes a thread out of the pool (it died or is being terminated); the next task starts a fresh one. */
  private retire(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    queueMicrotask(() => this.pump());
  }

  private settle(slot: Slot, error: Error | null, message?: ThreadMessage): void {
    const running = slot.current;
    if (!running) return;
    slot.current = null;
    clearTimeout(running.timer);
    if (this.slots.includes(slot)) slot.worker.unref();
    if (error) running.reject(error);
    else running.resolve((message as { result: unknown }).result);
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { extractSelectors, UnsupportedMediaTypeError } from '../extraction/index.js';
import { buildPdf } from '../extraction/pdf-fixture.js';
import { type BudgetLimit, ExtractionBudgetError } from './budget.js';
import { ExtractionPool } from './pool.js';
import { DEFAULT_EXTRACTION_LIMITS, type ExtractionLimits } from './settings.js';

const pools: ExtractionPool[] = [];
const pool = (overrides: Partial<ExtractionLimits> = {}) => {
  const p = new ExtractionPool({ ...DEFAULT_EXTRACTION_LIMITS, EXTRACTION_THREADS: 1, ...overrides });
  pools.push(p);
  return p;
};
afterAll(() => Promise.all(pools.map((p) => p.close())));

/** The failure is the budget error an API reports as 422 `extraction_budget_exceeded`, for this limit. */
function expectBudgetError(
  error: unknown,
  limit: BudgetLimit,
  setting: keyof ExtractionLimits,
  value: number,
) {
  expect(error).toBeInstanceOf(ExtractionBudgetError);
  expect((error as ExtractionBudgetError).toJSON()).toEqual({
    code: 'extraction_budget_exceeded',
    limit,
    setting,
    value,
  });
}

const REPORT = 'C2 at hxxps://evil[.]example/x and 203.0.113.7; mail ops@evil.example, 8.8.8.8';

// Each fresh pool starts a thread; from TypeScript sources tsx compiles it first, seconds on a busy machine.
describe('ExtractionPool', { timeout: 120_000 }, () => {
  const shared = pool();

  it('finds on a thread exactly what extraction finds in-process', async () => {
    const viaPool = await shared.extractText(REPORT, { defaultRegion: 'GB', allowList: ['8.8.8.8'] });
    expect(viaPool).toEqual(extractSelectors(REPORT, { defaultRegion: 'GB', allowList: ['8.8.8.8'] }));
    expect(viaPool.find((s) => s.value === '8.8.8.8')?.allowListed).toBe(true);
  });

  it('converts a document on the thread and returns its text with the selectors', async () => {
    const html = new TextEncoder().encode(
      `<html><body><p>${REPORT}</p><script>1.1.1.1</script></body></html>`,
    );
    const out = await shared.extractDocument(html, 'text/html; charset=utf-8');
    expect(out.text).toContain('hxxps://evil[.]example/x');
    expect(out.text).not.toContain('1.1.1.1');
    expect(out.selectors.map((s) => s.value)).toEqual(extractSelectors(out.text).map((s) => s.value));
  });

  it('gives back the extractor’s own error classes', async () => {
    await expect(shared.extractDocument(new Uint8Array([1, 2]), 'image/png')).rejects.toBeInstanceOf(
      UnsupportedMediaTypeError,
    );
  });

  it('keeps the calling thread free while a task runs', async () => {
    const order: string[] = [];
    const big = `${'a'.repeat(10) + ' '.repeat(10)}`.repeat(100_000);
    const task = shared.extractText(big).then(() => order.push('task'));
    await sleep(1).then(() => order.push('timer'));
    await task;
    expect(order[0]).toBe('timer');
  });

  it('refuses input over its caps before any thread sees it', async () => {
    const small = pool({ EXTRACTION_MAX_TEXT_CHARS: 10, EXTRACTION_MAX_INPUT_BYTES: 10 });
    const text = await small.extractText('x'.repeat(11)).catch((e: unknown) => e);
    expectBudgetError(text, 'text_chars', 'EXTRACTION_MAX_TEXT_CHARS', 10);
    const bytes = await small.extractDocument(new Uint8Array(11), 'text/plain').catch((e: unknown) => e);
    expect((bytes as ExtractionBudgetError).limit).toBe('input_bytes');
    expect(small.stats().threads).toBe(0);
  });

  it('caps the converted text of a document too', async () => {
    const small = pool({ EXTRACTION_MAX_TEXT_CHARS: 100 });
    const error = await small
      .extractDocument(new TextEncoder().encode('y'.repeat(101)), 'text/plain')
      .catch((e: unknown) => e);
    expect((error as ExtractionBudgetError).limit).toBe('text_chars');
  });

  it('fails a PDF whose streams unpack past the decompression cap as over budget, naming the setting', async () => {
    const capped = pool({ EXTRACTION_PDF_MAX_DECOMPRESSED_BYTES: 100_000 });
    // 1 MB of one drawing operator deflates to about a kilobyte: far past a 100 kB cap once unpacked.
    const pdf = buildPdf([['bomb.evil-corp.com']], {
      extraStreams: [deflateSync(Buffer.alloc(1 << 20, '0 0 m '))],
    });
    const error = await capped.extractDocument(pdf, 'application/pdf').catch((e: unknown) => e);
    expectBudgetError(error, 'pdf_decompressed_bytes', 'EXTRACTION_PDF_MAX_DECOMPRESSED_BYTES', 100_000);
    expect((error as Error).message).toContain('EXTRACTION_PDF_MAX_DECOMPRESSED_BYTES');
    // Under the default cap the same document is read.
    const read = await shared.extractDocument(pdf, 'application/pdf');
    expect(read.selectors.map((s) => s.value)).toEqual(['bomb.evil-corp.com']);
  });

  it('terminates a task over its time budget and runs the next one on a fresh thread', async () => {
    const slow = pool({ EXTRACTION_TIME_BASE_MS: 1, EXTRACTION_TIME_PER_MB_MS: 1 });
    const text = `${'1.2.3.4 evil[.]example '.repeat(200_000)}`;
    const error = await slow.extractText(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtractionBudgetError);
    expect((error as ExtractionBudgetError).toJSON()).toMatchObject({
      limit: 'time',
      setting: 'EXTRACTION_TIME_PER_MB_MS',
    });
    expect((error as Error).message).toMatch(/time budget \(6 ms for 4600000 characters/);
    const generous = pool({ EXTRACTION_TIME_BASE_MS: 60_000 });
    await expect(generous.extractText('see 192.0.2.1')).resolves.toHaveLength(1);
  });

  it('fails a task whose thread runs out of heap, as a budget, and recovers', async () => {
    const tight = pool({ EXTRACTION_HEAP_MB: 16, EXTRACTION_TIME_BASE_MS: 120_000 });
    const html = new TextEncoder().encode(`<p>${'<b x="1.2.3.4">5.6.7.8</b>'.repeat(400_000)}</p>`);
    const error = await tight.extractDocument(html, 'text/html').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtractionBudgetError);
    expect((error as ExtractionBudgetError).limit).toBe('heap');
    expect(tight.stats()).toEqual({ threads: 0, busy: 0, queued: 0 });
  });

  it('queues tasks beyond its threads and answers each', async () => {
    const texts = Array.from({ length: 5 }, (_, i) => `host-${i}.example.com`);
    const out = await Promise.all(texts.map((t) => shared.extractText(t)));
    expect(out.map((s) => s[0]?.value)).toEqual(texts);
  });

  it('fails what is left when closed, and refuses new work', async () => {
    const p = pool();
    const running = p.extractText('z'.repeat(1000)).catch((e: unknown) => e);
    await p.close();
    expect(await running).toBeInstanceOf(Error);
    expect(String(await running)).toMatch(/closed/);
    await expect(p.extractText('x')).rejects.toThrow(/closed/);
  });
});

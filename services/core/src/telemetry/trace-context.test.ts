import { describe, expect, it } from 'vitest';
import {
  carrierRequestId,
  currentTrace,
  formatTraceparent,
  jobTraceCarrier,
  parseTraceparent,
  runJobWithTrace,
  runWithRequestId,
  runWithTrace,
  startTrace,
  traceCarrier,
  traceLogFields,
  traceMiddleware,
} from './trace-context.js';
import { withTraceCarrier } from './traced-queue.js';

const SAMPLE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent', () => {
  it('parses and formats the W3C example', () => {
    const ctx = parseTraceparent(SAMPLE);
    expect(ctx).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    expect(formatTraceparent(ctx!)).toBe(SAMPLE);
  });

  it('refuses malformed, all-zero and version ff values', () => {
    for (const bad of [
      undefined,
      '',
      'garbage',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01',
    ]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
  });

  it('a child keeps the trace id and gets a new span; a root is random', () => {
    const child = startTrace(parseTraceparent(SAMPLE));
    expect(child.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(child.parentSpanId).toBe('00f067aa0ba902b7');
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child.spanId).not.toBe('00f067aa0ba902b7');
    expect(startTrace().traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('propagation', () => {
  it('request → job data → worker: one trace id, logged on both sides', async () => {
    const request = startTrace(parseTraceparent(SAMPLE));
    const jobData = await runWithTrace(request, async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(traceLogFields()).toEqual({ traceId: request.traceId, spanId: request.spanId });
      return { documentId: 'd1', trace: traceCarrier() };
    });
    expect(currentTrace()).toBeUndefined();
    expect(traceLogFields()).toEqual({});
    const seen = runJobWithTrace(jobData.trace, () => currentTrace());
    expect(seen?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(seen?.parentSpanId).toBe(request.spanId);
    // A job without a carrier starts its own trace.
    expect(runJobWithTrace(undefined, () => currentTrace())?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('the middleware continues the caller trace, answers traceparent and runs next inside it', () => {
    const headers: Record<string, string> = {};
    let inside: ReturnType<typeof currentTrace>;
    traceMiddleware()(
      { get: (name) => (name === 'traceparent' ? SAMPLE : undefined) },
      { setHeader: (name, value) => (headers[name] = value) },
      () => {
        inside = currentTrace();
      },
    );
    expect(inside?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(headers.traceparent).toBe(formatTraceparent(inside!));
  });

  it('the request id rides in the carrier and reaches the job; malformed ids are dropped', () => {
    const request = startTrace(parseTraceparent(SAMPLE));
    const data = runWithTrace(request, () =>
      runWithRequestId('req-42', () => withTraceCarrier({ jobId: 'j1' })),
    );
    expect(data).toEqual({
      jobId: 'j1',
      trace: { traceparent: formatTraceparent(request), requestId: 'req-42' },
    });
    const job = runJobWithTrace(jobTraceCarrier(data), () => currentTrace());
    expect(job).toMatchObject({
      traceId: request.traceId,
      parentSpanId: request.spanId,
      requestId: 'req-42',
    });
    expect(carrierRequestId({ requestId: 'bad id\n{"x":1}' })).toBeUndefined();
    expect(runJobWithTrace({ requestId: 'x y' }, () => currentTrace())?.requestId).toBeUndefined();
    // Outside a trace runWithRequestId just runs, and no carrier is added.
    expect(runWithRequestId('req-1', () => withTraceCarrier({ a: 1 }))).toEqual({ a: 1 });
  });

  it('job data keeps its own trace field, non-objects pass through, odd shapes read as no carrier', () => {
    const request = startTrace();
    runWithTrace(request, () => {
      expect(withTraceCarrier({ trace: { traceparent: SAMPLE } })).toEqual({
        trace: { traceparent: SAMPLE },
      });
      expect(withTraceCarrier('text')).toBe('text');
      expect(withTraceCarrier([1])).toEqual([1]);
    });
    expect(jobTraceCarrier(undefined)).toBeUndefined();
    expect(jobTraceCarrier({ trace: 'x' })).toBeUndefined();
    expect(jobTraceCarrier({ trace: { traceparent: 7, requestId: 'r' } })).toEqual({ requestId: 'r' });
  });
});

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) carried from an HTTP request through a queued
 * job into the worker, and into every log line, without an OpenTelemetry SDK in the process. The carrier
 * is the standard `traceparent` string, so OpenTelemetry's W3C propagator reads and writes the same
 * values: adopting the SDK later (OTLP export of spans) changes no payload and no log field.
 * docs/operations.md#traces-and-logs; README.md beside this file says how the API and worker adopt it.
 */
export interface TraceContext {
  /** 32 lowercase hex characters, not all zero. */
  traceId: string;
  /** 16 lowercase hex characters, not all zero: this process's span (request or job attempt). */
  spanId: string;
  /** The caller's span, when the context continues one. */
  parentSpanId?: string;
  sampled: boolean;
  /**
   * The API request this work belongs to (its `X-Request-Id`): not part of W3C trace context, but carried
   * beside it so a job's log lines name the request that caused it without a database read.
   */
  requestId?: string;
}

/** What a job's data carries: `{ traceparent }` (and `tracestate` if the caller sent one). */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
  /** The originating request's id (same charset and length as accepted for `X-Request-Id`). */
  requestId?: string;
}

/** Request ids are trusted only if short and plain, so they cannot inject into logs (the API's rule). */
export const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * Random ids from a pooled buffer, refilled 4 KiB at a time (what Node's `randomUUID` does): one
 * `randomBytes` call per id was a getrandom system call twice per request, ~1 % of the API's CPU under
 * load (docs/performance.md#per-request-cpu). Trace and span ids are identifiers, not secrets.
 */
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let offset = 0;
const hex = (bytes: number) => {
  if (offset + bytes > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const id = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return id;
};

/** Parses a `traceparent` header; undefined when absent or invalid (then a new trace starts). */
export function parseTraceparent(
  header: string | undefined | null,
): Omit<TraceContext, 'parentSpanId'> | undefined {
  if (!header) return undefined;
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!match) return undefined;
  const [, version, traceId = '', spanId = '', flags = '00'] = match;
  if (version === 'ff' || traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

export function formatTraceparent(ctx: Pick<TraceContext, 'traceId' | 'spanId' | 'sampled'>): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${ctx.sampled ? '01' : '00'}`;
}

/** A child of the given caller (same trace, new span), or a new root trace. */
export function startTrace(caller?: Omit<TraceContext, 'parentSpanId'>): TraceContext {
  if (!caller) return { traceId: hex(16), spanId: hex(8), sampled: true };
  return { traceId: caller.traceId, spanId: hex(8), parentSpanId: caller.spanId, sampled: caller.sampled };
}

const storage = new AsyncLocalStorage<TraceContext>();

/** Runs fn with ctx as the current trace context (for everything it awaits or schedules). */
export function runWithTrace<T>(ctx: TraceContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

/** The carrier to put into a job's data when enqueueing from inside a request or another job. */
export function traceCarrier(ctx: TraceContext | undefined = currentTrace()): TraceCarrier {
  if (!ctx) return {};
  return ctx.requestId
    ? { traceparent: formatTraceparent(ctx), requestId: ctx.requestId }
    : { traceparent: formatTraceparent(ctx) };
}

/**
 * Runs fn in the current trace with `requestId` recorded on it (the API's request-context middleware calls
 * this once it has the request id), so carriers made inside the request name it. Without a current trace
 * fn simply runs.
 */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  const ctx = storage.getStore();
  return ctx ? storage.run({ ...ctx, requestId }, fn) : fn();
}

/**
 * Runs a job attempt inside the trace that enqueued it (a child span), or a new trace when the job data
 * carries none (jobs enqueued by the sweeper or before this existed).
 */
export function runJobWithTrace<T>(carrier: TraceCarrier | undefined, fn: () => T): T {
  const ctx = startTrace(parseTraceparent(carrier?.traceparent));
  const requestId = carrierRequestId(carrier);
  return runWithTrace(requestId ? { ...ctx, requestId } : ctx, fn);
}

/** The request id a carrier names, when well-formed (job data is input like any other). */
export function carrierRequestId(carrier: TraceCarrier | undefined): string | undefined {
  const id = carrier?.requestId;
  return typeof id === 'string' && ACCEPTABLE_REQUEST_ID.test(id) ? id : undefined;
}

/** Reads the carrier from a job's data (`data.trace`), tolerating any shape. */
export function jobTraceCarrier(data: unknown): TraceCarrier | undefined {
  if (typeof data !== 'object' || data === null || !('trace' in data)) return undefined;
  const trace = (data as { trace: unknown }).trace;
  if (typeof trace !== 'object' || trace === null) return undefined;
  const { traceparent, requestId } = trace as Record<string, unknown>;
  return {
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
    ...(typeof requestId === 'string' ? { requestId } : {}),
  };
}

/**
 * pino `mixin`: adds `traceId` and `spanId` to every line logged inside a traced request or job, so logs
 * of one request and of the jobs it caused share a trace id.
 */
export function traceLogFields(): { traceId?: string; spanId?: string } {
  const ctx = storage.getStore();
  return ctx ? { traceId: ctx.traceId, spanId: ctx.spanId } : {};
}

interface MinimalRequest {
  get(name: string): string | undefined;
}
interface MinimalResponse {
  setHeader(name: string, value: string): unknown;
}

/**
 * Express middleware (first in the chain): continues the caller's trace from its `traceparent` header or
 * starts one, answers with this request's `traceparent` (so a client or the web app can quote it), and
 * runs the rest of the request inside it.
 */
export function traceMiddleware() {
  return (req: MinimalRequest, res: MinimalResponse, next: () => void): void => {
    const ctx = startTrace(parseTraceparent(req.get('traceparent')));
    res.setHeader('traceparent', formatTraceparent(ctx));
    runWithTrace(ctx, next);
  };
}

/**
 * What a workflow DOES when GitHub runs it, computed from its parsed YAML: a small evaluator of GitHub
 * Actions expressions, the job graph for one trigger (which jobs run, which are skipped), concurrency
 * groups as GitHub would evaluate them, and path globs as dorny/paths-filter (picomatch, `dot: true`) and
 * `on.<event>.paths` match them. tests/infra/workflows-semantics.test.ts uses it on the workflows and on
 * their earlier copies in tests/infra/fixtures/workflows-before/.
 *
 * The rules it follows, from GitHub's documentation:
 * - Expressions (docs.github.com/actions/reference/workflows-and-actions/expressions): `==`/`!=` compare
 *   strings case-insensitively and coerce mismatched types to numbers (null, '' and false → 0); a job's
 *   `if` without a status function is `success() && (<if>)`; `always()` is always true; `cancelled()` is
 *   true once the run is cancelled; `success()` is true when every needed job succeeded and the run is not
 *   cancelled; `failure()` when a needed job failed.
 * - Jobs (workflow syntax, jobs.<job_id>.needs): a job whose needed job failed or was skipped is skipped
 *   unless its `if` says otherwise.
 * - Concurrency (control-workflow-concurrency): one running and, by default (`queue: single`), one
 *   pending run or job per group; a newer one cancels the pending one. `queue: max` keeps up to 100
 *   pending, in order.
 */

// biome-ignore lint/suspicious/noExplicitAny: workflow YAML and expression values are untyped
type Json = any;

// ---------------------------------------------------------------------------------------------------
// Expressions

export interface ExpressionContext {
  /** github, inputs, vars, needs, steps, matrix… : looked up by dotted path. */
  values: Record<string, Json>;
  /** The run was cancelled (cancelled() is true, success() false). */
  cancelled?: boolean;
  /** Results of the needed jobs, for success() / failure(). */
  needsResults?: string[];
}

type Token =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string }
  | { t: 'punct'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let s = '';
      i++;
      while (i < src.length) {
        if (src[i] === "'" && src[i + 1] === "'") {
          s += "'";
          i += 2;
        } else if (src[i] === "'") break;
        else s += src[i++];
      }
      if (src[i] !== "'") throw new Error(`unterminated string in ${src}`);
      i++;
      out.push({ t: 'str', v: s });
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9.]+/.exec(src.slice(i))![0];
      out.push({ t: 'num', v: Number(m) });
      i += m.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.\-*]*/.exec(src.slice(i))![0];
      out.push({ t: 'id', v: m });
      i += m.length;
    } else {
      const two = src.slice(i, i + 2);
      if (['==', '!=', '&&', '||', '<=', '>='].includes(two)) {
        out.push({ t: 'op', v: two });
        i += 2;
      } else if ('!<>'.includes(c)) {
        out.push({ t: 'op', v: c });
        i++;
      } else if ('(),[]'.includes(c)) {
        out.push({ t: 'punct', v: c });
        i++;
      } else throw new Error(`unexpected ${c} in expression ${src}`);
    }
  }
  return out;
}

/** Strips one `${{ … }}` wrapper. */
export function unwrap(expression: string): string {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(expression);
  return (m ? m[1]! : expression).trim();
}

const STATUS_FUNCTIONS = /\b(success|failure|cancelled|always)\(\s*\)/;

function toNumber(v: Json): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return Number.NaN;
}

function looseEquals(a: Json, b: Json): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === typeof b && typeof a !== 'object') return a === b;
  return toNumber(a) === toNumber(b);
}

function truthy(v: Json): boolean {
  return !(v === null || v === undefined || v === false || v === 0 || v === '' || Number.isNaN(v));
}

function lookup(values: Record<string, Json>, dotted: string): Json {
  let cur: Json = values;
  for (const part of dotted.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return null;
    cur = cur[part];
  }
  return cur === undefined ? null : cur;
}

/** Evaluates a GitHub Actions expression (the subset the workflows use). */
export function evaluate(expression: string, ctx: ExpressionContext): Json {
  const tokens = tokenize(unwrap(expression));
  let pos = 0;
  const peek = () => tokens[pos];
  const take = () => tokens[pos++]!;
  const expect = (v: string) => {
    const t = take();
    if (!t || t.v !== v) throw new Error(`expected ${v} in ${expression}`);
  };

  function call(name: string, args: Json[]): Json {
    const needs = ctx.needsResults ?? [];
    switch (name.toLowerCase()) {
      case 'always':
        return true;
      case 'cancelled':
        return Boolean(ctx.cancelled);
      case 'success':
        return !ctx.cancelled && needs.every((r) => r === 'success');
      case 'failure':
        return needs.some((r) => r === 'failure');
      case 'startswith':
        return String(args[0] ?? '')
          .toLowerCase()
          .startsWith(String(args[1] ?? '').toLowerCase());
      case 'contains':
        return Array.isArray(args[0])
          ? args[0].some((x: Json) => looseEquals(x, args[1]))
          : String(args[0] ?? '')
              .toLowerCase()
              .includes(String(args[1] ?? '').toLowerCase());
      case 'format':
        return String(args[0]).replace(/\{(\d+)\}/g, (_, n) => String(args[Number(n) + 1] ?? ''));
      case 'tojson':
        return JSON.stringify(args[0]);
      default:
        throw new Error(`function ${name}() is not modelled`);
    }
  }

  function primary(): Json {
    const t = take();
    if (!t) throw new Error(`unexpected end of ${expression}`);
    if (t.t === 'str' || t.t === 'num') return t.v;
    if (t.t === 'punct' && t.v === '(') {
      const v = or();
      expect(')');
      return v;
    }
    if (t.t === 'op' && t.v === '!') return !truthy(unary());
    if (t.t === 'id') {
      if (t.v === 'true') return true;
      if (t.v === 'false') return false;
      if (t.v === 'null') return null;
      if (peek()?.v === '(') {
        take();
        const args: Json[] = [];
        while (peek()?.v !== ')') {
          args.push(or());
          if (peek()?.v === ',') take();
        }
        expect(')');
        return call(t.v, args);
      }
      let v = lookup(ctx.values, t.v);
      while (peek()?.v === '[') {
        take();
        const key = or();
        expect(']');
        v = v === null || typeof v !== 'object' ? null : (v[key] ?? null);
      }
      return v;
    }
    throw new Error(`unexpected ${t.v} in ${expression}`);
  }
  function unary(): Json {
    return primary();
  }
  function comparison(): Json {
    let left = unary();
    while (peek()?.t === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(String(peek()!.v))) {
      const op = String(take().v);
      const right = unary();
      if (op === '==') left = looseEquals(left, right);
      else if (op === '!=') left = !looseEquals(left, right);
      else {
        const a = toNumber(left);
        const b = toNumber(right);
        left = op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
      }
    }
    return left;
  }
  function and(): Json {
    let left = comparison();
    while (peek()?.v === '&&') {
      take();
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  }
  function or(): Json {
    let left = and();
    while (peek()?.v === '||') {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  }
  const value = or();
  if (pos !== tokens.length) throw new Error(`trailing tokens in ${expression}`);
  return value;
}

/** Replaces every `${{ … }}` in a string with its value. */
export function interpolate(text: string, ctx: ExpressionContext): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e) => String(evaluate(e, ctx) ?? ''));
}

// ---------------------------------------------------------------------------------------------------
// The job graph of one run

export type JobResult = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface Trigger {
  /** github context (event_name, ref, ref_type, run_id, event …). */
  github: Record<string, Json>;
  inputs?: Record<string, Json>;
  vars?: Record<string, Json>;
  /** Outputs of jobs that run, by job id (default: none). */
  outputs?: Record<string, Record<string, Json>>;
  /** Results of jobs that run (default: success). */
  results?: Record<string, JobResult>;
  /** The run is cancelled once these jobs have finished (cancelled() true for every later job). */
  cancelledAfter?: string[];
}

const needsOf = (job: Json): string[] =>
  job?.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];

/** Every job's result for one run of the workflow under a trigger, in dependency order. */
export function runJobs(doc: Json, trigger: Trigger): Record<string, JobResult> {
  const jobs = (doc.jobs ?? {}) as Record<string, Json>;
  const result: Record<string, JobResult> = {};
  const pending = new Set(Object.keys(jobs));
  while (pending.size > 0) {
    const ready = [...pending].filter((id) => needsOf(jobs[id]).every((n) => n in result));
    if (ready.length === 0) throw new Error(`needs cycle among ${[...pending].join(', ')}`);
    for (const id of ready) {
      pending.delete(id);
      const job = jobs[id];
      const needs = needsOf(job);
      const cancelled = trigger.cancelledAfter?.every((j) => j in result) === true;
      const condition = job.if === undefined ? 'success()' : unwrap(String(job.if));
      const withStatus = STATUS_FUNCTIONS.test(condition) ? condition : `success() && (${condition})`;
      const needsContext = Object.fromEntries(
        needs.map((n) => [
          n,
          { result: result[n], outputs: result[n] === 'success' ? (trigger.outputs?.[n] ?? {}) : {} },
        ]),
      );
      const runs = truthy(
        evaluate(withStatus, {
          values: {
            github: trigger.github,
            inputs: trigger.inputs ?? {},
            vars: trigger.vars ?? {},
            needs: needsContext,
          },
          cancelled,
          needsResults: needs.map((n) => result[n]!),
        }),
      );
      result[id] = runs ? (trigger.results?.[id] ?? 'success') : cancelled ? 'cancelled' : 'skipped';
    }
  }
  return result;
}

/** The jobs that run (not skipped or cancelled), sorted. */
export function ran(results: Record<string, JobResult>): string[] {
  return Object.entries(results)
    .filter(([, r]) => r === 'success' || r === 'failure')
    .map(([id]) => id)
    .sort();
}

// ---------------------------------------------------------------------------------------------------
// Concurrency

export interface ConcurrencyScope {
  /** `workflow` or the job id. */
  scope: string;
  group: string;
  cancelInProgress: boolean;
  queue: 'single' | 'max';
}

/** Workflow- and job-level concurrency of a workflow, evaluated for one run's context. */
export function concurrencyOf(doc: Json, values: Record<string, Json>): ConcurrencyScope[] {
  const out: ConcurrencyScope[] = [];
  const one = (scope: string, c: Json) => {
    if (c === undefined || c === null) return;
    const spec = typeof c === 'string' ? { group: c } : c;
    const ctx = { values };
    const cancel = spec['cancel-in-progress'];
    out.push({
      scope,
      group: interpolate(String(spec.group), ctx).toLowerCase(),
      cancelInProgress: typeof cancel === 'string' ? truthy(evaluate(cancel, ctx)) : Boolean(cancel ?? false),
      queue: spec.queue === 'max' ? 'max' : 'single',
    });
  };
  one('workflow', doc.concurrency);
  for (const [id, job] of Object.entries((doc.jobs ?? {}) as Record<string, Json>)) one(id, job.concurrency);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Path globs (picomatch with dot: true, as dorny/paths-filter uses it; GitHub's `paths` filter follows
// the same rules for the patterns used here: `*` within one segment, `**` across segments).

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      const atStart = i === 0 || glob[i - 1] === '/';
      if (atStart && slashAfter) {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Whether a changed file sets a dorny/paths-filter filter: with `some` (the default) when any positive
 * pattern matches and no negated one does; with `every` when the file matches every pattern (a negated
 * pattern matches what it does not name).
 */
export function filterMatches(file: string, patterns: string[], quantifier: 'some' | 'every'): boolean {
  const results = patterns.map((p) =>
    p.startsWith('!') ? !globToRegExp(p.slice(1)).test(file) : globToRegExp(p).test(file),
  );
  return quantifier === 'every' ? results.every(Boolean) : results.some(Boolean);
}

/** Whether GitHub's `on.<event>.paths` list triggers for a change of `file` (last matching pattern wins). */
export function pathsTrigger(file: string, paths: string[]): boolean {
  let hit = false;
  for (const p of paths) {
    if (p.startsWith('!')) {
      if (globToRegExp(p.slice(1)).test(file)) hit = false;
    } else if (globToRegExp(p).test(file)) hit = true;
  }
  return hit;
}

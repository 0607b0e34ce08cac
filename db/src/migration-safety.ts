import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Migration-safety linter: flags SQL that destroys data or holds long locks on a table that already exists
 * in a live database. The migrator runs each migration inside a transaction, so the usual online fixes
 * (CREATE INDEX CONCURRENTLY) cannot be used there; the escape hatch is a reviewed marker anywhere in the
 * file, with a reason:
 *
 *   -- migration-safety: reviewed <why this is safe, e.g. "jobs is new and empty in every deployment">
 *
 * The marker waives every finding in that file (they are still reported). See docs/decisions/0004.
 */

export type SafetyRule =
  | 'drop-table'
  | 'drop-column'
  | 'drop-object'
  | 'drop-index-blocking'
  | 'truncate'
  | 'alter-column-type'
  | 'add-column-not-null-without-default'
  | 'add-column-rewrites-table'
  | 'set-not-null'
  | 'create-index-blocking'
  | 'add-constraint-validates'
  | 'rename'
  | 'marker-without-reason';

export interface SafetyFinding {
  rule: SafetyRule;
  /** The offending statement, whitespace-collapsed and cut to a readable length. */
  statement: string;
  message: string;
}

export interface SafetyReport {
  file: string;
  findings: SafetyFinding[];
  /** The reviewed marker's reason, or null when the file has none. */
  reviewed: string | null;
  /** No findings, or all of them waived by a reviewed marker with a reason. */
  ok: boolean;
}

const MARKER = /^\s*--\s*migration-safety:\s*reviewed\b(.*)$/im;
/** A reason has to say something; "ok" or "safe" is not a review. */
const MIN_REASON_LENGTH = 10;

/**
 * Blanks comments and quoted text (strings, dollar-quoted bodies) so keywords inside them never match. One
 * left-to-right pass, because each kind of quote hides the others (an apostrophe in a comment, `--` in a
 * string, anything in a function body).
 */
function stripNonCode(sql: string): string {
  const quoted = /'(?:[^']|'')*'/y;
  const dollarTag = /\$([A-Za-z_]\w*)?\$/y;
  let out = '';
  let i = 0;
  /** Replaces sql[i, end) (to the end of the text when `end` is -1) with `replacement`. */
  const skip = (end: number, replacement: string) => {
    out += replacement;
    i = end < 0 ? sql.length : end;
  };
  while (i < sql.length) {
    quoted.lastIndex = i;
    dollarTag.lastIndex = i;
    if (sql.startsWith('--', i)) {
      skip(sql.indexOf('\n', i), ' ');
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      skip(close < 0 ? -1 : close + 2, ' ');
    } else if (sql[i] === "'") {
      const match = quoted.exec(sql);
      skip(match ? i + match[0].length : -1, "''");
    } else if (sql[i] === '"') {
      const close = sql.indexOf('"', i + 1);
      const end = close < 0 ? sql.length : close + 1;
      out += sql.slice(i, end);
      i = end;
    } else {
      const tag = dollarTag.exec(sql);
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        skip(close < 0 ? -1 : close + tag[0].length, "''");
      } else {
        out += sql[i];
        i++;
      }
    }
  }
  return out;
}

function statementsOf(sql: string): string[] {
  return stripNonCode(sql)
    .split(';')
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s !== '');
}

/** `"public"."jobs"`, `public.jobs`, `"jobs"` and `jobs` all name the table `jobs`. */
function tableName(raw: string): string {
  const last = raw.split('.').at(-1) ?? raw;
  return last.replace(/"/g, '').toLowerCase();
}

const IDENT = String.raw`(?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?`;
const CREATE_TABLE = new RegExp(`^CREATE (?:UNLOGGED )?TABLE (?:IF NOT EXISTS )?(${IDENT})`, 'i');
const ALTER_TABLE = new RegExp(`^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(${IDENT}) (.*)$`, 'i');
const CREATE_INDEX = new RegExp(
  String.raw`^CREATE (?:UNIQUE )?INDEX (CONCURRENTLY )?.*?\bON (?:ONLY )?(${IDENT})`,
  'i',
);

/** Splits `a, b (x, y), c` on top-level commas: the actions of one ALTER TABLE. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/** Volatile defaults force PostgreSQL to rewrite the table to fill existing rows (non-volatile ones don't). */
const VOLATILE_DEFAULT =
  /\bDEFAULT\b.*\b(gen_random_uuid|uuid_generate_v\d\w*|random|clock_timestamp|timeofday|nextval)\s*\(/i;

type Check = (action: string) => [SafetyRule, string] | null;

/** Checks for one action of an ALTER TABLE on a table that existed before this migration. */
const EXISTING_TABLE_ACTION_CHECKS: Check[] = [
  (a) =>
    /^DROP (?:COLUMN )?(?!CONSTRAINT\b)/i.test(a)
      ? ['drop-column', 'dropping a column destroys its data and breaks code still reading it']
      : null,
  (a) =>
    /^ALTER (?:COLUMN )?\S+ (?:SET DATA )?TYPE\b/i.test(a)
      ? ['alter-column-type', 'changing a type rewrites the table under an ACCESS EXCLUSIVE lock']
      : null,
  (a) =>
    /^ALTER (?:COLUMN )?\S+ SET NOT NULL\b/i.test(a)
      ? ['set-not-null', 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock']
      : null,
  (a) =>
    /^ADD (?:COLUMN )?/i.test(a) &&
    !/^ADD (?:CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK|EXCLUDE)\b/i.test(a) &&
    /\bNOT NULL\b/i.test(a) &&
    !/\bDEFAULT\b/i.test(a) &&
    !/\bGENERATED\b/i.test(a)
      ? ['add-column-not-null-without-default', 'fails on a table with rows; add a DEFAULT or backfill first']
      : null,
  (a) =>
    /^ADD (?:COLUMN )?/i.test(a) &&
    !/^ADD (?:CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK|EXCLUDE)\b/i.test(a) &&
    (VOLATILE_DEFAULT.test(a) ||
      /\bGENERATED ALWAYS AS \(.*\) STORED\b/i.test(a) ||
      /\bAS IDENTITY\b/i.test(a))
      ? [
          'add-column-rewrites-table',
          'a volatile default, stored generated or identity column rewrites the table',
        ]
      : null,
  (a) =>
    /^ADD (?:CONSTRAINT \S+ )?(?:FOREIGN KEY|CHECK)\b/i.test(a) && !/\bNOT VALID\b/i.test(a)
      ? [
          'add-constraint-validates',
          'validating a new constraint scans the table under lock; add it NOT VALID, then VALIDATE',
        ]
      : null,
  (a) =>
    /^ADD (?:CONSTRAINT \S+ )?(?:PRIMARY KEY|UNIQUE)\b/i.test(a) && !/\bUSING INDEX\b/i.test(a)
      ? [
          'add-constraint-validates',
          'builds a unique index under lock; build it CONCURRENTLY and add USING INDEX',
        ]
      : null,
];

/** Checks that apply to any statement, whatever table it touches. */
const STATEMENT_CHECKS: Check[] = [
  (s) => (/^DROP TABLE\b/i.test(s) ? ['drop-table', 'dropping a table destroys its data'] : null),
  (s) =>
    /^DROP (?:TYPE|SCHEMA|VIEW|MATERIALIZED VIEW|SEQUENCE|DOMAIN|EXTENSION)\b/i.test(s)
      ? ['drop-object', 'dropping an object other code or data may still depend on']
      : null,
  (s) =>
    /^DROP INDEX\b/i.test(s) && !/^DROP INDEX CONCURRENTLY\b/i.test(s)
      ? ['drop-index-blocking', 'DROP INDEX takes an ACCESS EXCLUSIVE lock on its table']
      : null,
  (s) => (/^TRUNCATE\b/i.test(s) ? ['truncate', 'TRUNCATE deletes every row'] : null),
  (s) =>
    /\bRENAME\b/i.test(s) && /^ALTER (?:TABLE|TYPE|INDEX|VIEW|SEQUENCE|SCHEMA)\b/i.test(s)
      ? ['rename', 'renames break running code that uses the old name (deploy in expand/contract steps)']
      : null,
];

function cut(statement: string): string {
  return statement.length > 160 ? `${statement.slice(0, 157)}...` : statement;
}

/** Lints one migration's SQL; `file` only labels the report. */
export function lintMigrationSql(sql: string, file = '<sql>'): SafetyReport {
  const statements = statementsOf(sql);
  const createdHere = new Set(
    statements.flatMap((s) => {
      const match = CREATE_TABLE.exec(s);
      return match?.[1] ? [tableName(match[1])] : [];
    }),
  );
  const findings: SafetyFinding[] = [];
  const flag = (statement: string, result: [SafetyRule, string] | null) => {
    if (result) findings.push({ rule: result[0], message: result[1], statement: cut(statement) });
  };

  for (const statement of statements) {
    for (const check of STATEMENT_CHECKS) flag(statement, check(statement));
    const index = CREATE_INDEX.exec(statement);
    if (index?.[2] && !index[1] && !createdHere.has(tableName(index[2]))) {
      flag(statement, [
        'create-index-blocking',
        'building an index without CONCURRENTLY blocks writes to an existing table',
      ]);
    }
    const alter = ALTER_TABLE.exec(statement);
    if (alter?.[1] && alter[2] && !createdHere.has(tableName(alter[1]))) {
      for (const action of splitTopLevel(alter[2])) {
        for (const check of EXISTING_TABLE_ACTION_CHECKS) flag(statement, check(action));
      }
    }
  }

  const marker = MARKER.exec(sql);
  const reason = marker ? (marker[1] ?? '').trim() : null;
  if (reason !== null && reason.length < MIN_REASON_LENGTH) {
    findings.push({
      rule: 'marker-without-reason',
      statement: cut(marker?.[0].trim() ?? ''),
      message: `a reviewed marker needs a reason of at least ${MIN_REASON_LENGTH} characters`,
    });
    return { file, findings, reviewed: null, ok: false };
  }
  return { file, findings, reviewed: reason, ok: findings.length === 0 || reason !== null };
}

/** Lints every `.sql` file of a drizzle-kit migrations folder, in name (= journal) order. */
export function lintMigrationsFolder(folder: string): SafetyReport[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => lintMigrationSql(readFileSync(path.join(folder, name), 'utf8'), name));
}

/** One readable line per finding, for test failure messages and CLI output. */
export function formatReports(reports: SafetyReport[]): string {
  return reports
    .flatMap((r) => r.findings.map((f) => `${r.file}: [${f.rule}] ${f.message}\n    ${f.statement}`))
    .join('\n');
}

import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from './migrate.js';
import {
  formatReports,
  lintMigrationSql,
  lintMigrationsFolder,
  type SafetyRule,
} from './migration-safety.js';

function rules(sql: string): SafetyRule[] {
  return lintMigrationSql(sql).findings.map((f) => f.rule);
}

describe('migration-safety linter', () => {
  it.each<[string, string, SafetyRule]>([
    ['DROP TABLE', 'DROP TABLE "selectors";', 'drop-table'],
    ['DROP TABLE IF EXISTS', 'drop table if exists public.notes cascade;', 'drop-table'],
    ['DROP COLUMN', 'ALTER TABLE "users" DROP COLUMN "display_name";', 'drop-column'],
    ['DROP without COLUMN keyword', 'alter table users drop display_name;', 'drop-column'],
    ['DROP TYPE', 'DROP TYPE "public"."tlp";', 'drop-object'],
    ['DROP INDEX', 'DROP INDEX "selectors_value_trgm_idx";', 'drop-index-blocking'],
    ['TRUNCATE', 'TRUNCATE jobs;', 'truncate'],
    [
      'ALTER COLUMN TYPE',
      'ALTER TABLE "jobs" ALTER COLUMN "progress" SET DATA TYPE bigint;',
      'alter-column-type',
    ],
    ['ALTER COLUMN TYPE, short form', 'alter table jobs alter progress type bigint;', 'alter-column-type'],
    [
      'ADD COLUMN NOT NULL without DEFAULT',
      'ALTER TABLE "jobs" ADD COLUMN "owner" uuid NOT NULL;',
      'add-column-not-null-without-default',
    ],
    [
      'ADD COLUMN with a volatile default',
      'ALTER TABLE "jobs" ADD COLUMN "token" uuid DEFAULT gen_random_uuid() NOT NULL;',
      'add-column-rewrites-table',
    ],
    [
      'ADD COLUMN stored generated',
      `ALTER TABLE "documents" ADD COLUMN "v" tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED;`,
      'add-column-rewrites-table',
    ],
    ['SET NOT NULL', 'ALTER TABLE "jobs" ALTER COLUMN "kind" SET NOT NULL;', 'set-not-null'],
    [
      'CREATE INDEX on an existing table',
      'CREATE INDEX "jobs_kind_idx" ON "jobs" USING btree ("kind");',
      'create-index-blocking',
    ],
    [
      'CREATE UNIQUE INDEX on an existing table',
      'create unique index x on public.users (lower(email));',
      'create-index-blocking',
    ],
    [
      'FOREIGN KEY validated under lock',
      'ALTER TABLE "jobs" ADD CONSTRAINT "jobs_fk" FOREIGN KEY ("investigation_id") REFERENCES "investigations"("id");',
      'add-constraint-validates',
    ],
    [
      'CHECK validated under lock',
      'ALTER TABLE jobs ADD CONSTRAINT c CHECK (attempts >= 0);',
      'add-constraint-validates',
    ],
    [
      'UNIQUE built under lock',
      'ALTER TABLE jobs ADD CONSTRAINT u UNIQUE (kind, target_id);',
      'add-constraint-validates',
    ],
    ['RENAME TABLE', 'ALTER TABLE "notes" RENAME TO "annotations";', 'rename'],
    ['RENAME COLUMN', 'ALTER TABLE "notes" RENAME COLUMN "body" TO "text";', 'rename'],
    ['RENAME enum value', `ALTER TYPE "tlp" RENAME VALUE 'clear' TO 'white';`, 'rename'],
  ])('flags %s', (_label, sql, rule) => {
    const report = lintMigrationSql(sql);
    expect(report.findings.map((f) => f.rule)).toContain(rule);
    expect(report.ok).toBe(false);
  });

  it.each<[string, string]>([
    ['CREATE INDEX CONCURRENTLY', 'CREATE INDEX CONCURRENTLY "jobs_kind_idx" ON "jobs" ("kind");'],
    ['DROP INDEX CONCURRENTLY', 'DROP INDEX CONCURRENTLY "jobs_kind_idx";'],
    ['nullable ADD COLUMN', 'ALTER TABLE "jobs" ADD COLUMN "investigation_id" uuid;'],
    [
      'NOT NULL with a constant DEFAULT',
      `ALTER TABLE "jobs" ADD COLUMN "queue" text DEFAULT 'default' NOT NULL;`,
    ],
    ['DROP NOT NULL', 'ALTER TABLE "jobs" ALTER COLUMN "kind" DROP NOT NULL;'],
    ['DROP DEFAULT', 'ALTER TABLE "jobs" ALTER COLUMN "kind" DROP DEFAULT;'],
    ['DROP CONSTRAINT', 'ALTER TABLE "jobs" DROP CONSTRAINT "jobs_progress_range";'],
    [
      'FOREIGN KEY added NOT VALID',
      'ALTER TABLE jobs ADD CONSTRAINT f FOREIGN KEY (investigation_id) REFERENCES investigations (id) NOT VALID;',
    ],
    ['VALIDATE CONSTRAINT', 'ALTER TABLE jobs VALIDATE CONSTRAINT f;'],
    ['ADD enum value', `ALTER TYPE "selector_type" ADD VALUE 'onion';`],
    [
      'keywords inside comments',
      '-- we used to DROP TABLE here\n/* ALTER TABLE x DROP COLUMN y */ SELECT 1;',
    ],
    ['keywords inside strings', `INSERT INTO notes (body) VALUES ('DROP TABLE users; it''s fine');`],
    [
      'keywords inside function bodies',
      'CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ TRUNCATE jobs $$;',
    ],
  ])('allows %s', (_label, sql) => {
    expect(rules(sql)).toEqual([]);
  });

  it('treats tables created in the same migration as new: their indexes, constraints and NOT NULLs are fine', () => {
    const sql = `
      CREATE TABLE "widgets" ("id" uuid PRIMARY KEY, "owner" uuid);--> statement-breakpoint
      ALTER TABLE "widgets" ADD COLUMN "kind" text NOT NULL;--> statement-breakpoint
      ALTER TABLE "widgets" ADD CONSTRAINT "widgets_owner_fk" FOREIGN KEY ("owner") REFERENCES "public"."users"("id");--> statement-breakpoint
      CREATE INDEX "widgets_owner_idx" ON "widgets" USING btree ("owner");`;
    expect(rules(sql)).toEqual([]);
  });

  it('still flags the existing table in a migration that also creates new ones', () => {
    const sql = `
      CREATE TABLE "widgets" ("id" uuid PRIMARY KEY);
      CREATE INDEX "widgets_id_idx" ON "widgets" ("id");
      CREATE INDEX "jobs_kind_idx" ON "jobs" ("kind");`;
    const report = lintMigrationSql(sql);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]?.statement).toMatch(/jobs_kind_idx/);
  });

  it('reports every action of a multi-action ALTER TABLE', () => {
    expect(
      rules('ALTER TABLE jobs DROP COLUMN a, ALTER COLUMN b TYPE int, ADD COLUMN c int NOT NULL;'),
    ).toEqual(['drop-column', 'alter-column-type', 'add-column-not-null-without-default']);
  });

  it('waives findings when the file carries a reviewed marker with a reason, and still lists them', () => {
    const sql =
      '-- migration-safety: reviewed jobs is empty in every deployment (no producer exists yet)\nCREATE INDEX i ON jobs (kind);';
    const report = lintMigrationSql(sql);
    expect(report.ok).toBe(true);
    expect(report.reviewed).toMatch(/jobs is empty/);
    expect(report.findings.map((f) => f.rule)).toEqual(['create-index-blocking']);
  });

  it('does not accept a marker without a reason', () => {
    const report = lintMigrationSql('-- migration-safety: reviewed\nDROP TABLE jobs;');
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => f.rule)).toContain('marker-without-reason');
  });

  it('passes clean SQL without a marker', () => {
    const report = lintMigrationSql('CREATE TABLE t (id int);');
    expect(report).toMatchObject({ ok: true, reviewed: null, findings: [] });
  });
});

describe('committed migrations', () => {
  const reports = lintMigrationsFolder(MIGRATIONS_FOLDER);

  it('are all safe or explicitly reviewed', () => {
    expect(reports.length).toBeGreaterThan(0);
    const failing = reports.filter((r) => !r.ok);
    expect(failing, formatReports(failing)).toEqual([]);
  });

  it('carry a reviewed marker only where the linter has something to waive', () => {
    const needless = reports.filter((r) => r.reviewed !== null && r.findings.length === 0).map((r) => r.file);
    expect(needless).toEqual([]);
  });
});

/**
 * Which backups to delete: keep the newest `keep`, and of those also drop any older than `maxAgeDays` —
 * but never the newest one, whatever its age (a stopped CronJob must not leave you with nothing).
 * Pure, so the rule is unit-tested; backup.ts and the CronJob's backup.sh apply the same rule.
 */
export interface RetentionPolicy {
  /** Number of newest backups kept (≥ 1). */
  keep: number;
  /** Backups older than this are deleted (0 = no age limit). */
  maxAgeDays: number;
}

export interface BackupFile {
  name: string;
  /** When the backup was taken (from its name, not the file's mtime, which a copy changes). */
  takenAt: Date;
}

/** `osint-<database>-<YYYYMMDDTHHMMSSZ>.dump` — sortable, unique per second, says what it holds. */
export const BACKUP_NAME = /^osint-(.+)-(\d{8}T\d{6}Z)\.dump$/;

export function backupFileName(database: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `osint-${database}-${stamp}.dump`;
}

/** The time encoded in a backup's name, or undefined when the name is not a backup of ours. */
export function takenAtOf(name: string): Date | undefined {
  const match = BACKUP_NAME.exec(name);
  if (!match?.[2]) return undefined;
  const s = match[2];
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function selectForDeletion(files: BackupFile[], policy: RetentionPolicy, now = new Date()): string[] {
  if (!Number.isInteger(policy.keep) || policy.keep < 1) throw new Error('keep must be an integer ≥ 1');
  const newestFirst = [...files].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
  const cutoff = policy.maxAgeDays > 0 ? now.getTime() - policy.maxAgeDays * 86_400_000 : -Infinity;
  return newestFirst
    .filter((file, index) => index > 0 && (index >= policy.keep || file.takenAt.getTime() < cutoff))
    .map((f) => f.name);
}

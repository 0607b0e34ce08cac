import { describe, expect, it } from 'vitest';
import { backupFileName, selectForDeletion, takenAtOf } from './retention.js';

const day = 86_400_000;
const now = new Date('2026-11-25T03:00:00Z');
const files = (ages: number[]) =>
  ages.map((age) => {
    const takenAt = new Date(now.getTime() - age * day);
    return { name: backupFileName('osint', takenAt), takenAt };
  });

describe('backup names', () => {
  it('are timestamped in UTC and round-trip', () => {
    const at = new Date('2026-11-25T02:03:04.567Z');
    expect(backupFileName('osint', at)).toBe('osint-osint-20261125T020304Z.dump');
    expect(takenAtOf('osint-osint-20261125T020304Z.dump')?.toISOString()).toBe('2026-11-25T02:03:04.000Z');
    expect(takenAtOf('osint-my-db-20261125T020304Z.dump')).toBeDefined();
    expect(takenAtOf('notes.txt')).toBeUndefined();
    expect(takenAtOf('osint-osint-20261125T020304Z.dump.sha256')).toBeUndefined();
  });
});

describe('selectForDeletion', () => {
  it('keeps the newest N', () => {
    const all = files([0, 1, 2, 3, 4]);
    expect(selectForDeletion(all, { keep: 3, maxAgeDays: 0 }, now)).toEqual([all[3]?.name, all[4]?.name]);
  });

  it('drops anything older than the age limit even within N', () => {
    const all = files([0, 1, 10, 40]);
    expect(selectForDeletion(all, { keep: 10, maxAgeDays: 7 }, now)).toEqual([all[2]?.name, all[3]?.name]);
  });

  it('never deletes the newest backup, however old', () => {
    const all = files([90, 100]);
    expect(selectForDeletion(all, { keep: 5, maxAgeDays: 30 }, now)).toEqual([all[1]?.name]);
  });

  it('order of the input does not matter', () => {
    const all = files([3, 0, 2, 1]);
    expect(selectForDeletion(all, { keep: 2, maxAgeDays: 0 }, now).sort()).toEqual(
      [all[0]?.name, all[2]?.name].sort(),
    );
  });

  it('refuses keep < 1', () => {
    expect(() => selectForDeletion([], { keep: 0, maxAgeDays: 0 })).toThrow(/keep/);
  });
});

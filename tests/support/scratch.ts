import { statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';

/**
 * Where throw-away PostgreSQL and Redis servers keep their files: a memory file system (Linux's /dev/shm)
 * when it has room, else the temporary directory. PostgreSQL writes clusters, database clones and WAL
 * there; on a disk file system the kernel's journaling of those writes and of the deletes costs CPU the
 * tests compete for, and removing a cluster at the end is wall time nothing else overlaps.
 */
export function scratchRoot(): string {
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize >= 1024 ** 3) return '/dev/shm';
  } catch {
    // No /dev/shm (macOS, Windows): the temporary directory.
  }
  return tmpdir();
}

import { closeSync, openSync } from 'node:fs';

/** better-sqlite3's names for a database that is no file of ours: one in memory, or a temporary one. */
const NOT_A_FILE = new Set([':memory:', '']);

/**
 * The database files hold customers' conversations, so a missing one is created readable by its
 * owner only before SQLite opens it (an empty file is an empty database); SQLite gives the -wal
 * and -shm files it creates beside it the same mode. A file that exists keeps its mode, as an
 * existing DATA_DIR does: the operator may have set it on purpose (a backup user's group), and a
 * silent chmod on every start would undo that.
 */
export function createOwnerOnlyIfMissing(file: string): void {
  if (NOT_A_FILE.has(file)) return;
  let descriptor: number;
  try {
    descriptor = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    // Failing here rather than letting SQLite create the file with the default mode.
    throw error;
  }
  closeSync(descriptor);
}

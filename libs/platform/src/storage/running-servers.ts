import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDataDir } from './data-dir.permissions.js';

const RUNNING_DIR = 'running';

/**
 * Marks this process as a server using the embedded stores in `dataDir`, so that operator
 * commands that write can refuse to run beside it. Returns the release; a process killed without
 * releasing leaves a mark that the next look finds dead and removes.
 */
export function markServerRunning(dataDir: string): () => void {
  const directory = join(dataDir, RUNNING_DIR);
  ensureDataDir(dataDir);
  // Owner-only as everything else in DATA_DIR; modes apply only to what is created here.
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const mark = join(directory, String(process.pid));
  writeFileSync(mark, `${new Date().toISOString()}\n`, { mode: 0o600 });
  return () => rmSync(mark, { force: true });
}

/** The process ids of the servers that use the embedded stores in `dataDir` now. */
export function runningServers(dataDir: string): number[] {
  const directory = join(dataDir, RUNNING_DIR);
  let marks: string[];
  try {
    marks = readdirSync(directory);
  } catch {
    return [];
  }
  return marks.flatMap((name) => {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) return [];
    if (isAlive(pid)) return [pid];
    rmSync(join(directory, name), { force: true });
    return [];
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still running.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

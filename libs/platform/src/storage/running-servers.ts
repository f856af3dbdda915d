import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDataDir } from './data-dir.permissions.js';
import { isProcessAlive, processStartOf } from './process-liveness.js';

const RUNNING_DIR = 'running';

/**
 * Marks this process as a server using the embedded stores in `dataDir`, so that operator
 * commands that write can refuse to run beside it. Returns the release; a process killed without
 * releasing leaves a mark that the next look finds dead and removes. The mark records when the
 * process started, so a later process given the same pid does not keep it alive.
 */
export function markServerRunning(dataDir: string): () => void {
  const directory = join(dataDir, RUNNING_DIR);
  ensureDataDir(dataDir);
  // Owner-only as everything else in DATA_DIR; modes apply only to what is created here.
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const mark = join(directory, String(process.pid));
  writeFileSync(mark, `${new Date().toISOString()}\n${processStartOf(process.pid) ?? ''}\n`, { mode: 0o600 });
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
    if (isProcessAlive(pid, recordedStart(join(directory, name)))) return [pid];
    rmSync(join(directory, name), { force: true });
    return [];
  });
}

/** The start a mark records on its second line; marks written before it was recorded have none. */
function recordedStart(mark: string): string | undefined {
  try {
    return readFileSync(mark, 'utf8').split('\n')[1] || undefined;
  } catch {
    return undefined;
  }
}

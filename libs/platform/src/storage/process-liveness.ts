import { readFileSync } from 'node:fs';

/**
 * When process `pid` started, in clock ticks since boot (Linux `/proc/<pid>/stat`), or undefined
 * where that cannot be read. A later process given the same pid has another start, so a mark that
 * records it cannot be mistaken for that later process's.
 */
export function processStartOf(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name in parentheses may hold spaces and parentheses itself: fields are counted
  // from the last ')'. The start time is field 22, the 20th after the name.
  return stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .at(19);
}

/** Whether process `pid` is running and, when its recorded start is given, is the process that had it. */
export function isProcessAlive(pid: number, recordedStart?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still running.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (recordedStart === undefined) return true;
  const start = processStartOf(pid);
  return start === undefined || start === recordedStart;
}

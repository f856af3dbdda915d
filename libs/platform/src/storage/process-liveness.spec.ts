import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { isProcessAlive, processStartOf } from './process-liveness.js';

describe('process liveness', () => {
  it("reads a process's start, which tells it apart from a later process given its pid", () => {
    const start = processStartOf(process.pid);
    expect(start).toMatch(/^\d+$/);
    expect(isProcessAlive(process.pid, start)).toBe(true);
    expect(isProcessAlive(process.pid, String(Number(start) + 1))).toBe(false);
    // Without a recorded start, a running pid is all it can go by.
    expect(isProcessAlive(process.pid)).toBe(true);
  });

  it('finds an ended process dead, with or without its start', () => {
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    expect([processStartOf(ended), isProcessAlive(ended), isProcessAlive(ended, '1')]).toEqual([undefined, false, false]);
  });

  it('reads the start after a command name that holds spaces and parentheses', async () => {
    const child = spawn('bash', ['-c', 'read; printf "x) (y z 1 2" > /proc/$$/comm; echo renamed; read'], { stdio: 'pipe' });
    try {
      await once(child, 'spawn');
      const start = processStartOf(child.pid!);
      child.stdin.write('\n');
      await once(child.stdout, 'data');
      expect(readFileSync(`/proc/${child.pid}/comm`, 'utf8')).toBe('x) (y z 1 2\n');
      expect([start, processStartOf(child.pid!)]).toEqual([expect.stringMatching(/^\d+$/), start]);
    } finally {
      child.kill();
    }
  });
});

import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/**
 * The file modes of an embedded store, for each SQLite adapter: `openAndWrite` opens the store on
 * `file` and commits something, so that SQLite has made its -wal and -shm files.
 */
export function itKeepsItsFilesToTheirOwner(openAndWrite: (file: string) => Promise<{ close(): Promise<void> }>): void {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'sqlite-file-modes-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('creates the database and its -wal and -shm files readable by their owner only', async () => {
    const file = join(directory, 'store.sqlite');
    const store = await openAndWrite(file);
    try {
      for (const suffix of ['-wal', '-shm']) expect(existsSync(`${file}${suffix}`)).toBe(true);
      expect(['', '-wal', '-shm'].map((suffix) => [suffix, modeOf(`${file}${suffix}`)])).toEqual([
        ['', 0o600],
        ['-wal', 0o600],
        ['-shm', 0o600],
      ]);
    } finally {
      await store.close();
    }
  });

  it('leaves the mode of a file that exists as it is', async () => {
    const file = join(directory, 'store.sqlite');
    writeFileSync(file, '', { mode: 0o640 });
    const store = await openAndWrite(file);
    try {
      expect([modeOf(file), modeOf(`${file}-wal`)]).toEqual([0o640, 0o640]);
    } finally {
      await store.close();
    }
  });
}

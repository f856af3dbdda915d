import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '#eventstore';
import { SqliteReadModelStore } from '#readmodel';
import { isStoreFailure } from './session-engine.service.js';

describe('what halts the session engine until the stores are back', () => {
  it('is not a programming error, even one that carries a code', () => {
    expect(isStoreFailure(Object.assign(new TypeError('x is not a function'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBe(false);
    expect(isStoreFailure(Object.assign(new Error('raw driver error'), { code: 'SQLITE_BUSY' }))).toBe(false);
  });

  it('is a store outage an adapter raised: a locked SQLite read-model file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'store-failure-'));
    const file = join(directory, 'read-models.sqlite');
    const store = SqliteReadModelStore.open({ file });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      const failure = (await store
        .commit('engine', { expected: undefined, next: '1' }, () => Promise.resolve())
        .catch((error: unknown) => error)) as Error;
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect(isStoreFailure(failure)).toBe(true);
    } finally {
      other.exec('ROLLBACK');
      other.close();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

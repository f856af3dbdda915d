import Database from 'better-sqlite3';
import { itKeepsItsFilesToTheirOwner } from '../../../../test/support/sqlite-file-modes.js';
import { BARE_BOUND_LIMIT, statementsPreparedBy } from '../../../../test/support/sqlite-statements.js';
import { describeReadModelStoreContract } from '../read-model-store.contract.js';
import { SqliteReadModelStore } from './sqlite-read-model-store.js';
import { openTemporarySqliteReadModelStore } from './sqlite-read-model-store.fixture.js';

describeReadModelStoreContract('sqlite', openTemporarySqliteReadModelStore);

describe('SqliteReadModelStore', () => {
  let temporary: Awaited<ReturnType<typeof openTemporarySqliteReadModelStore>>;

  beforeEach(async () => {
    temporary = await openTemporarySqliteReadModelStore();
  });

  afterEach(async () => {
    await temporary.dispose();
  });

  it('keeps documents and checkpoints in its file across reopening', async () => {
    await temporary.store.commit('cards', { expected: undefined, next: 'p1' }, async (tx) => {
      tx.put('cards', { id: 'a', workspace: 'w', name: 'Welcome' });
    });
    await temporary.store.close();

    const reopened = SqliteReadModelStore.open({ file: temporary.file });
    try {
      expect(await reopened.getCheckpoint('cards')).toBe('p1');
      expect(await reopened.get('cards', 'a')).toEqual({ id: 'a', workspace: 'w', name: 'Welcome' });
    } finally {
      await reopened.close();
    }
  });

  it('reads what another connection committed since, documents it read or wrote before included', async () => {
    const { store } = temporary;
    const other = SqliteReadModelStore.open({ file: temporary.file });
    const large = 'x'.repeat(20_000);
    try {
      await store.commit('cards', { expected: undefined, next: 'p1' }, async (tx) => {
        tx.put('cards', { id: 'a', workspace: 'w', name: 'Welcome' });
        tx.put('cards', { id: 'large', workspace: 'w', name: large });
      });
      expect(await store.get('cards', 'b')).toBeUndefined();
      expect(await store.get('cards', 'large')).toEqual({ id: 'large', workspace: 'w', name: large });

      await other.commit('cards', { expected: 'p1', next: 'p2' }, async (tx) => {
        tx.put('cards', { id: 'a', workspace: 'w', name: 'Renamed' });
        tx.put('cards', { id: 'b', workspace: 'w', name: 'New' });
        tx.delete('cards', 'large');
      });

      expect(await store.get('cards', 'a')).toEqual({ id: 'a', workspace: 'w', name: 'Renamed' });
      expect(await store.get('cards', 'b')).toEqual({ id: 'b', workspace: 'w', name: 'New' });
      expect(await store.get('cards', 'large')).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('snapshots a document with the workspace its lists read it in, so that one moved to another is seen', async () => {
    await temporary.store.commit('cards', { expected: undefined, next: 'p1' }, async (tx) => {
      tx.put('cards', { id: 'a', workspace: 'w', name: 'Welcome' });
    });
    const db = new Database(temporary.file);
    try {
      db.prepare("UPDATE documents SET workspace = 'other' WHERE id = 'a'").run();
    } finally {
      db.close();
    }
    const snapshot = await temporary.store.snapshotProjections([{ name: 'cards', collections: ['cards'] }]);
    expect(snapshot.documents.get('cards')).toEqual([{ id: 'a', workspace: 'other', name: 'Welcome' }]);
  });

  it('hands out a fresh copy on every read of a document it keeps', async () => {
    const { store } = temporary;
    await store.commit('cards', { expected: undefined, next: 'p1' }, async (tx) => {
      tx.put('cards', { id: 'a', workspace: 'w', name: 'Welcome' });
    });
    const first = await store.get<{ id: string; workspace: string; name: string }>('cards', 'a');
    if (first) first.name = 'Changed by a reader';

    expect(await store.get('cards', 'a')).toEqual({ id: 'a', workspace: 'w', name: 'Welcome' });
  });
});

describe('SqliteReadModelStore statements', () => {
  it('bind their limits so that SQLite plans each of them once', async () => {
    const statements = await statementsPreparedBy(async () => {
      const { store, dispose } = await openTemporarySqliteReadModelStore([{ collection: 'cards', equals: [], orderBy: 'name' }]);
      await store.list('cards', { workspace: 'w', orderBy: 'name', limit: 10 });
      for await (const _card of store.allDocuments('cards'));
      await dispose();
    });

    expect(statements.filter((sql) => /\bLIMIT\b/i.test(sql)).length).toBeGreaterThanOrEqual(2);
    expect(statements.filter((sql) => BARE_BOUND_LIMIT.test(sql))).toEqual([]);
  });
});

describe('SqliteReadModelStore files', () => {
  itKeepsItsFilesToTheirOwner(async (file) => {
    const store = SqliteReadModelStore.open({ file });
    await store.commit('transcripts', { expected: undefined, next: 'p1' }, async (tx) => {
      tx.put('transcripts', { id: 'a', workspace: 'w', text: 'my address is …' });
    });
    return store;
  });
});

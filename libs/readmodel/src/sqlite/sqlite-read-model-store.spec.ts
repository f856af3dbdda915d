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
});

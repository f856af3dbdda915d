import { BackendUnreachableError } from '#eventstore';
import { createServer } from 'node:net';
import { describeReadModelStoreContract } from '../read-model-store.contract.js';
import { MongoReadModelStore } from './mongodb-read-model-store.js';
import { openTemporaryMongoReadModelStore } from './mongodb-read-model-store.fixture.js';

const mongodbUri = process.env.MONGODB_URI ?? '';
if (!mongodbUri) {
  console.log('Skipping the MongoDB contract suite: MONGODB_URI is not set (docker compose -f docker/docker-compose.yml up starts one)');
}

(mongodbUri ? describe : describe.skip)('MongoReadModelStore on MONGODB_URI', () => {
  describeReadModelStoreContract('MongoDB', () => openTemporaryMongoReadModelStore(mongodbUri));

  describe('storage layout', () => {
    let temporary: Awaited<ReturnType<typeof openTemporaryMongoReadModelStore>>;

    beforeAll(async () => {
      temporary = await openTemporaryMongoReadModelStore(mongodbUri);
    });

    afterAll(async () => {
      await temporary.dispose();
    });

    it('keeps a document under its id in a collection of the same name, and the checkpoint beside it', async () => {
      await temporary.store.commit('cards', { expected: undefined, next: 'p1' }, async (tx) => {
        tx.put('cards', { id: 'a', workspace: 'w', name: 'Welcome', steps: [{ id: 's1' }] });
      });

      expect(await temporary.database.collection<{ _id: string }>('cards').findOne({ _id: 'a' })).toEqual({
        _id: 'a',
        workspace: 'w',
        name: 'Welcome',
        steps: [{ id: 's1' }],
      });
      expect(await temporary.database.collection<{ _id: string }>('checkpoints').findOne({ _id: 'cards' })).toEqual({
        _id: 'cards',
        position: 'p1',
      });
    });

    it('creates one compound index per declaration: workspace and equality fields first, then the order', async () => {
      await temporary.store.declareIndexes([
        { collection: 'sessions', equals: ['workflowId', 'status'], orderBy: 'startedAt' },
        { collection: 'sessions', equals: [], orderBy: 'startedAt' },
      ]);

      const keys = (await temporary.database.collection('sessions').indexes()).map((index) => index.key);
      expect(keys).toContainEqual({ workspace: 1, workflowId: 1, status: 1, startedAt: -1, _id: -1 });
      expect(keys).toContainEqual({ workspace: 1, startedAt: -1, _id: -1 });
    });

    it('drops undefined fields as JSON does', async () => {
      await temporary.store.commit('drafts', { expected: undefined, next: 'p1' }, async (tx) => {
        tx.put('drafts', { id: 'a', workspace: 'w', note: undefined });
      });

      expect(await temporary.store.get('drafts', 'a')).toEqual({ id: 'a', workspace: 'w' });
      const stored = await temporary.database.collection<{ _id: string }>('drafts').findOne({ _id: 'a' });
      expect(stored).not.toHaveProperty('note');
    });
  });
});

describe('MongoReadModelStore.connect', () => {
  /** A port nothing listens on: taken from the system, then given back. */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    await new Promise((resolve) => server.close(resolve));
    if (address === null || typeof address === 'string') throw new Error('Expected a TCP address');
    return address.port;
  }

  it('fails fast, naming MongoDB and the address, when nothing answers there', async () => {
    const port = await closedPort();
    const uri = `mongodb://127.0.0.1:${port}/?directConnection=true`;
    const started = performance.now();

    const error = await MongoReadModelStore.connect({ uri, startupTimeoutMs: 2000 }).catch((reason: unknown) => reason);

    expect(performance.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(BackendUnreachableError);
    expect(error).toMatchObject({ backend: 'MongoDB', address: uri });
    expect((error as Error).message).toContain(`MongoDB at mongodb://127.0.0.1:${port}/`);
  });

  it('never shows the password of the connection string', async () => {
    const port = await closedPort();
    const uri = `mongodb://reader:secret@127.0.0.1:${port}/workflows?directConnection=true`;

    const error = await MongoReadModelStore.connect({ uri, startupTimeoutMs: 2000 }).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(BackendUnreachableError);
    expect((error as Error).message).toContain(`127.0.0.1:${port}/workflows`);
    expect((error as Error).message).not.toContain('secret');
    expect(JSON.stringify(error)).not.toContain('secret');
  });
});

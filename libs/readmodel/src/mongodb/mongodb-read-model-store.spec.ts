import { BackendUnreachableError } from '#eventstore';
import { createServer } from 'node:net';
import { describeReadModelStoreContract, readingObserved } from '../read-model-store.contract.js';
import { MongoReadModelStore } from './mongodb-read-model-store.js';
import { openTemporaryMongoReadModelStore } from './mongodb-read-model-store.fixture.js';
import { openTemporarySqliteReadModelStore } from '../sqlite/sqlite-read-model-store.fixture.js';
import { GenerationSwitchedError } from './mongodb-generations.js';
import { GENERATIONS_COLLECTION } from './mongodb-names.js';

const mongodbUri = process.env.MONGODB_URI ?? '';
if (!mongodbUri) {
  console.log('Skipping the MongoDB contract suite: MONGODB_URI is not set (docker compose -f docker/docker-compose.yml up starts one)');
}

/** The connection string with more options, as an operator would add them. */
const withOptions = (uri: string, options: string): string =>
  uri.includes('?') ? `${uri}&${options}` : /^mongodb(\+srv)?:\/\/[^/]+$/.test(uri) ? `${uri}/?${options}` : `${uri}?${options}`;

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

    it('reads from the primary, and commits, when the connection string asks for secondaries and single acknowledgements', async () => {
      const relaxed = await openTemporaryMongoReadModelStore(
        withOptions(mongodbUri, 'readPreference=secondary&w=1&readConcernLevel=local'),
      );
      try {
        await relaxed.store.declareIndexes([{ collection: 'cards', equals: [], orderBy: 'name' }]);
        await relaxed.store.commit('cards', { expected: undefined, next: 'p1' }, async (tx) => {
          tx.put('cards', { id: 'a', workspace: 'w', name: 'Welcome' });
        });
        await relaxed.store.commit('cards', { expected: 'p1', next: 'p2' }, async (tx) => {
          tx.put('cards', { ...(await tx.get('cards', 'a'))!, name: 'Hello' });
        });

        expect(await relaxed.store.getCheckpoint('cards')).toBe('p2');
        expect(await relaxed.store.list('cards', { workspace: 'w', orderBy: 'name', limit: 10 })).toEqual([
          { id: 'a', workspace: 'w', name: 'Hello' },
        ]);
      } finally {
        await relaxed.dispose();
      }
    });

    it('rebuilds into a generation beside the old one, keeps the one it replaced until the next switch, then drops it', async () => {
      const names = async () =>
        (await temporary.database.listCollections({}, { nameOnly: true }).toArray())
          .map(({ name }) => name)
          .filter((name) => name.startsWith('rebuilt'));
      await temporary.store.declareIndexes([{ collection: 'rebuilt', equals: ['kind'], orderBy: 'createdAt' }]);
      await temporary.store.commit('rebuilt', { expected: undefined, next: 'p1' }, async (tx) => {
        tx.put('rebuilt', { id: 'a', workspace: 'w', kind: 'k', createdAt: '2024-01-01' });
      });
      const rebuild = async (position: string) => {
        const source = await openTemporarySqliteReadModelStore();
        try {
          await source.store.commit('rebuilt', { expected: undefined, next: position }, async (tx) => {
            tx.put('rebuilt', { id: position, workspace: 'w', kind: 'k', createdAt: '2024-01-02' });
          });
          await temporary.store.replaceProjections(source.store, [{ name: 'rebuilt', collections: ['rebuilt'] }]);
        } finally {
          await source.dispose();
        }
        return (await temporary.database
          .collection<{ _id: string; generation: string }>(GENERATIONS_COLLECTION)
          .findOne({ _id: 'rebuilt' }))!.generation;
      };

      const first = await rebuild('p2');
      expect((await names()).sort()).toEqual(['rebuilt', `rebuilt.${first}`]);
      expect(await temporary.database.collection(`rebuilt.${first}`).find().toArray()).toEqual([
        { _id: 'p2', workspace: 'w', kind: 'k', createdAt: '2024-01-02' },
      ]);
      expect((await temporary.database.collection(`rebuilt.${first}`).indexes()).map((index) => index.key)).toContainEqual({
        workspace: 1,
        kind: 1,
        createdAt: -1,
        _id: -1,
      });
      expect(await temporary.database.collection<{ _id: string }>('checkpoints').findOne({ _id: 'rebuilt' })).toEqual({
        _id: 'rebuilt',
        position: 'p2',
        generation: first,
      });

      const second = await rebuild('p3');
      expect((await names()).sort()).toEqual([`rebuilt.${first}`, `rebuilt.${second}`].sort());
      expect(await temporary.store.get('rebuilt', 'p3')).toMatchObject({ id: 'p3' });
    });

    it('drops what a failed copy made and switches nothing', async () => {
      await temporary.store.commit('failing', { expected: undefined, next: 'p1' }, async (tx) => {
        tx.put('failing', { id: 'kept', workspace: 'w' });
      });
      const before = (await temporary.database.listCollections({}, { nameOnly: true }).toArray()).map(({ name }) => name).sort();
      const failure = new Error('the source broke off');
      const source = await openTemporarySqliteReadModelStore();
      try {
        await source.store.commit('failing', { expected: undefined, next: 'p2' }, async (tx) => {
          for (let i = 0; i < 1500; i += 1) tx.put('failing', { id: `d${i}`, workspace: 'w' });
        });
        const breaking = readingObserved(source.store, 'failing', 1200, () => Promise.reject(failure));

        await expect(temporary.store.replaceProjections(breaking, [{ name: 'failing', collections: ['failing'] }])).rejects.toBe(failure);
      } finally {
        await source.dispose();
      }

      expect((await temporary.database.listCollections({}, { nameOnly: true }).toArray()).map(({ name }) => name).sort()).toEqual(before);
      expect(await temporary.store.getCheckpoint('failing')).toBe('p1');
      expect(await temporary.store.get('failing', 'kept')).toEqual({ id: 'kept', workspace: 'w' });
    });

    it('refuses the writes of a unit that read a collection a rebuild switched before it committed', async () => {
      await temporary.store.commit('switched', { expected: undefined, next: 'p1' }, async (tx) => {
        tx.put('switched', { id: 'a', workspace: 'w', n: 1 });
      });
      const source = await openTemporarySqliteReadModelStore();
      try {
        // Rebuilt to the very checkpoint the unit expects: only the generation tells the unit read the replaced copy.
        await source.store.commit('switched', { expected: undefined, next: 'p1' }, async (tx) => {
          tx.put('switched', { id: 'a', workspace: 'w', n: 10 });
        });
        const unit = temporary.store.commit('switched', { expected: 'p1', next: 'p2' }, async (tx) => {
          const read = await tx.get<{ id: string; workspace: string; n: number }>('switched', 'a');
          await temporary.store.replaceProjections(source.store, [{ name: 'switched', collections: ['switched'] }]);
          tx.put('switched', { ...read!, n: read!.n + 1 });
        });

        await expect(unit).rejects.toBeInstanceOf(GenerationSwitchedError);
      } finally {
        await source.dispose();
      }
      expect(await temporary.store.get('switched', 'a')).toEqual({ id: 'a', workspace: 'w', n: 10 });
      expect(await temporary.store.getCheckpoint('switched')).toBe('p1');
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
    // The start's own deadline, with the driver's last word on why: its server selection waits longer.
    expect((error as Error).message).toMatch(
      new RegExp(`no usable server answered within 2000 ms \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)`),
    );
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

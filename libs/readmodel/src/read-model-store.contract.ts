import { randomUUID } from 'node:crypto';
import { BufferedProjectionTransaction } from './buffered-projection-transaction.js';
import { DocumentRefusedError, MAX_DOCUMENT_BYTES } from './document-normalisation.js';
import {
  CheckpointConflictError,
  type ListQuery,
  type ProjectionTransaction,
  type ReadModelDocument,
  type ReadModelStore,
  UndeclaredIndexError,
} from './read-model-store.port.js';

/**
 * The behaviour every read-model store adapter must show, written against the port alone. Each
 * test invents its own projection, collection and workspace names, so adapters backed by a shared
 * server need no clean-up between tests.
 */
export function describeReadModelStoreContract(
  adapterName: string,
  openStore: () => Promise<{ store: ReadModelStore; dispose: () => Promise<void> }>,
): void {
  describe(`ReadModelStore contract: ${adapterName}`, () => {
    let store: ReadModelStore;
    let dispose: () => Promise<void>;

    beforeAll(async () => {
      ({ store, dispose } = await openStore());
    });

    afterAll(async () => {
      await dispose();
    });

    const unique = (prefix: string): string => `${prefix}-${randomUUID()}`;

    /** Commits `work` as the projection's next unit, from whatever checkpoint it has now. */
    async function commitNext(projection: string, next: string, work: (tx: ProjectionTransaction) => Promise<void> | void): Promise<void> {
      const expected = await store.getCheckpoint(projection);
      await store.commit(projection, { expected, next }, async (tx) => work(tx));
    }

    /** Declares that `collection` is listed with equality on `equals`, ordered by `orderBy`. */
    const declare = (collection: string, equals: string[], orderBy: string) => store.declareIndexes([{ collection, equals, orderBy }]);

    /** Stores documents in one unit of a throwaway projection. */
    async function seed(collection: string, documents: ReadModelDocument[]): Promise<void> {
      await commitNext(unique('seed'), '1', (tx) => documents.forEach((document) => tx.put(collection, document)));
    }

    it('hands out every document of a collection, of every workspace, ordered by id', async () => {
      const collection = unique('collection');
      const documents = ['c', 'a', 'd', 'b'].map((id, index) => ({ id, workspace: index % 2 === 0 ? 'w1' : 'w2', n: index }));
      await seed(collection, documents);
      const found: ReadModelDocument[] = [];
      for await (const document of store.allDocuments(collection)) found.push(document);
      expect(found).toEqual([...documents].sort((x, y) => x.id.localeCompare(y.id)));
      const none: ReadModelDocument[] = [];
      for await (const document of store.allDocuments(unique('empty'))) none.push(document);
      expect(none).toEqual([]);
    });

    it("hands out a snapshot of projections' documents, ordered by id, and checkpoints, and nothing of other collections", async () => {
      const [projection, unstarted, other] = [unique('projection'), unique('unstarted'), unique('other')];
      const [cards, notes, elsewhere, empty] = [unique('cards'), unique('notes'), unique('elsewhere'), unique('empty')];
      await commitNext(projection, '3', (tx) => {
        tx.put(cards, { id: 'b', workspace: 'w1', n: 1 });
        tx.put(cards, { id: 'a', workspace: 'w2', n: 2 });
        tx.put(notes, { id: 'n', workspace: 'w1' });
      });
      await commitNext(projection, '4', (tx) => tx.delete(notes, 'n'));
      await commitNext(other, '9', (tx) => tx.put(elsewhere, { id: 'x', workspace: 'w1' }));

      const snapshot = await store.snapshotProjections([
        { name: projection, collections: [cards, notes] },
        { name: unstarted, collections: [empty] },
      ]);

      expect(snapshot.checkpoints).toEqual(
        new Map([
          [projection, '4'],
          [unstarted, undefined],
        ]),
      );
      expect(snapshot.documents).toEqual(
        new Map([
          [
            cards,
            [
              { id: 'a', workspace: 'w2', n: 2 },
              { id: 'b', workspace: 'w1', n: 1 },
            ],
          ],
          [notes, []],
          [empty, []],
        ]),
      );
    });

    it("replaces projections' documents and checkpoints with another store's, leaving the rest alone", async () => {
      const [projection, kept] = [unique('projection'), unique('kept')];
      const [replaced, untouched] = [unique('collection'), unique('collection')];
      await commitNext(projection, '5', (tx) => {
        tx.put(replaced, { id: 'old', workspace: 'w', v: 1 });
        tx.put(replaced, { id: 'same', workspace: 'w', v: 1 });
      });
      await commitNext(kept, '7', (tx) => tx.put(untouched, { id: 'x', workspace: 'w' }));
      const rebuilt = await openStore();
      try {
        await rebuilt.store.commit(projection, { expected: undefined, next: '9' }, async (tx) => {
          tx.put(replaced, { id: 'same', workspace: 'w', v: 2 });
          tx.put(replaced, { id: 'new', workspace: 'w', v: 2 });
        });
        await store.replaceProjections(rebuilt.store, [{ name: projection, collections: [replaced] }]);
      } finally {
        await rebuilt.dispose();
      }
      const after: ReadModelDocument[] = [];
      for await (const document of store.allDocuments(replaced)) after.push(document);
      expect(after).toEqual([
        { id: 'new', workspace: 'w', v: 2 },
        { id: 'same', workspace: 'w', v: 2 },
      ]);
      expect(await store.getCheckpoint(projection)).toBe('9');
      expect(await store.getCheckpoint(kept)).toBe('7');
      expect(await store.get(untouched, 'x')).toEqual({ id: 'x', workspace: 'w' });
    });

    it('stores, replaces and deletes documents through committed units', async () => {
      const projection = unique('projection');
      const collection = unique('collection');
      const workspace = unique('workspace');

      await commitNext(projection, '1', (tx) => tx.put(collection, { id: 'a', workspace, title: 'first' }));
      expect(await store.get(collection, 'a')).toEqual({ id: 'a', workspace, title: 'first' });

      await commitNext(projection, '2', (tx) => tx.put(collection, { id: 'a', workspace, title: 'second' }));
      expect(await store.get(collection, 'a')).toEqual({ id: 'a', workspace, title: 'second' });

      await commitNext(projection, '3', (tx) => tx.delete(collection, 'a'));
      expect(await store.get(collection, 'a')).toBeUndefined();
    });

    it('keeps the same id apart in different collections', async () => {
      const workspace = unique('workspace');
      const [left, right] = [unique('collection'), unique('collection')];

      await seed(left, [{ id: 'a', workspace, side: 'left' }]);

      expect(await store.get(left, 'a')).toEqual({ id: 'a', workspace, side: 'left' });
      expect(await store.get(right, 'a')).toBeUndefined();
    });

    it('stores the checkpoint with the writes it covers', async () => {
      const projection = unique('projection');
      const collection = unique('collection');
      expect(await store.getCheckpoint(projection)).toBeUndefined();

      await store.commit(projection, { expected: undefined, next: 'p1' }, async (tx) => {
        tx.put(collection, { id: 'a', workspace: 'w' });
      });
      expect(await store.getCheckpoint(projection)).toBe('p1');

      await store.commit(projection, { expected: 'p1', next: 'p2' }, async () => {});
      expect(await store.getCheckpoint(projection)).toBe('p2');
      expect(await store.get(collection, 'a')).toEqual({ id: 'a', workspace: 'w' });
    });

    it('stores writes collected elsewhere with the checkpoint, all or nothing, and refuses them from a stale checkpoint', async () => {
      const projection = unique('projection');
      const collection = unique('collection');
      const workspace = unique('workspace');
      await store.declareIndexes([{ collection, equals: ['status'], orderBy: 'createdAt' }]);
      await commitNext(projection, 'p1', (tx) => tx.put(collection, { id: 'gone', workspace, status: 'active', createdAt: '1' }));
      const collected = (work: (tx: ProjectionTransaction) => void) => {
        const tx = new BufferedProjectionTransaction(async () => undefined);
        work(tx);
        return tx.seal();
      };
      const kept = { id: 'kept', workspace, status: 'active', createdAt: '2', at: new Date(0) };
      const writes = collected((tx) => {
        tx.put(collection, kept);
        tx.delete(collection, 'gone');
      });

      await expect(store.commitWrites(projection, { expected: 'stale', next: 'p2' }, writes)).rejects.toBeInstanceOf(
        CheckpointConflictError,
      );
      const unindexable = collected((tx) => tx.put(collection, { id: 'listed', workspace, status: ['active'], createdAt: '3' }));
      await expect(store.commitWrites(projection, { expected: 'p1', next: 'p2' }, [...writes, ...unindexable])).rejects.toThrow(
        /"listed" of collection .*indexed field status/,
      );
      expect(await store.getCheckpoint(projection)).toBe('p1');
      expect(await store.get(collection, 'kept')).toBeUndefined();
      expect(await store.get(collection, 'gone')).toBeDefined();

      await store.commitWrites(projection, { expected: 'p1', next: 'p2' }, writes);
      expect(await store.getCheckpoint(projection)).toBe('p2');
      expect(await store.get(collection, 'gone')).toBeUndefined();
      const stored = { ...kept, at: kept.at.toISOString() };
      expect(await store.list(collection, { workspace, where: { status: 'active' }, orderBy: 'createdAt', limit: 10 })).toEqual([stored]);
    });

    it('keeps checkpoints of different projections apart', async () => {
      const [first, second] = [unique('projection'), unique('projection')];

      await store.commit(first, { expected: undefined, next: 'p1' }, async () => {});

      expect(await store.getCheckpoint(first)).toBe('p1');
      expect(await store.getCheckpoint(second)).toBeUndefined();
    });

    it('writes nothing and keeps the checkpoint when the work throws', async () => {
      const projection = unique('projection');
      const collection = unique('collection');
      await commitNext(projection, 'p1', (tx) => tx.put(collection, { id: 'kept', workspace: 'w' }));
      const failure = new Error('projection failed');

      await expect(
        store.commit(projection, { expected: 'p1', next: 'p2' }, async (tx) => {
          tx.put(collection, { id: 'new', workspace: 'w' });
          tx.delete(collection, 'kept');
          throw failure;
        }),
      ).rejects.toBe(failure);

      expect(await store.getCheckpoint(projection)).toBe('p1');
      expect(await store.get(collection, 'new')).toBeUndefined();
      expect(await store.get(collection, 'kept')).toEqual({ id: 'kept', workspace: 'w' });
    });

    it.each([
      { case: 'behind the stored one', stored: 'p2', expected: 'p1' },
      { case: 'absent while one is stored', stored: 'p2', expected: undefined },
      { case: 'present while none is stored', stored: undefined, expected: 'p1' },
    ])('rejects a unit whose expected checkpoint is $case, writing nothing', async ({ stored, expected }) => {
      const projection = unique('projection');
      const collection = unique('collection');
      if (stored) await store.commit(projection, { expected: undefined, next: stored }, async () => {});

      const attempt = store.commit(projection, { expected, next: 'p3' }, async (tx) => {
        tx.put(collection, { id: 'a', workspace: 'w' });
      });

      await expect(attempt).rejects.toBeInstanceOf(CheckpointConflictError);
      await expect(attempt).rejects.toMatchObject({ projection, expected, actual: stored });
      expect(await store.getCheckpoint(projection)).toBe(stored);
      expect(await store.get(collection, 'a')).toBeUndefined();
    });

    it('lets exactly one of two units racing from the same checkpoint win', async () => {
      const projection = unique('projection');
      const collection = unique('collection');
      const unit = (name: string) =>
        store.commit(projection, { expected: undefined, next: name }, async (tx) => {
          await tx.get(collection, 'a');
          tx.put(collection, { id: 'a', workspace: 'w', writer: name });
        });

      const results = await Promise.allSettled([unit('left'), unit('right')]);

      const winners = results.filter((result) => result.status === 'fulfilled');
      const losers = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
      expect(winners).toHaveLength(1);
      expect(losers).toEqual([expect.any(CheckpointConflictError)]);
      const stored = await store.getCheckpoint(projection);
      expect(await store.get(collection, 'a')).toEqual({ id: 'a', workspace: 'w', writer: stored });
    });

    it('reads its own pending writes inside a unit, invisible outside until committed', async () => {
      const projection = unique('projection');
      const collection = unique('collection');
      await seed(collection, [{ id: 'old', workspace: 'w', n: 1 }]);
      const seen: Record<string, unknown> = {};

      await commitNext(projection, 'p1', async (tx) => {
        tx.put(collection, { id: 'new', workspace: 'w', n: 1 });
        seen.putThenGet = await tx.get(collection, 'new');
        seen.outsideBeforeCommit = await store.get(collection, 'new');
        tx.put(collection, { id: 'old', workspace: 'w', n: 2 });
        seen.replaced = await tx.get(collection, 'old');
        tx.delete(collection, 'old');
        seen.deleteThenGet = await tx.get(collection, 'old');
        tx.put(collection, { id: 'old', workspace: 'w', n: 3 });
        seen.putAfterDelete = await tx.get(collection, 'old');
      });

      expect(seen).toEqual({
        putThenGet: { id: 'new', workspace: 'w', n: 1 },
        outsideBeforeCommit: undefined,
        replaced: { id: 'old', workspace: 'w', n: 2 },
        deleteThenGet: undefined,
        putAfterDelete: { id: 'old', workspace: 'w', n: 3 },
      });
      expect(await store.get(collection, 'old')).toEqual({ id: 'old', workspace: 'w', n: 3 });
    });

    it('refuses writes made after its unit has been committed', async () => {
      const collection = unique('collection');
      let writeLater: (() => void) | undefined;
      await commitNext(unique('projection'), 'p1', (tx) => {
        writeLater = () => tx.put(collection, { id: 'late', workspace: 'w' });
      });

      expect(writeLater).toThrow();
      expect(await store.get(collection, 'late')).toBeUndefined();
    });

    it('does not treat changes to a document it returned as writes', async () => {
      const collection = unique('collection');
      await seed(collection, [{ id: 'a', workspace: 'w', tags: ['x'] }]);

      await commitNext(unique('projection'), 'p1', async (tx) => {
        const document = { id: 'b', workspace: 'w', tags: ['y'] };
        tx.put(collection, document);
        document.tags.push('changed after put');
        (await tx.get<{ id: string; workspace: string; tags: string[] }>(collection, 'a'))!.tags.push('changed');
        (await tx.get<{ id: string; workspace: string; tags: string[] }>(collection, 'b'))!.tags.push('changed');
      });

      expect(await store.get(collection, 'a')).toEqual({ id: 'a', workspace: 'w', tags: ['x'] });
      expect(await store.get(collection, 'b')).toEqual({ id: 'b', workspace: 'w', tags: ['y'] });
    });

    it('lists only the asked workspace, and get tells whose a document is', async () => {
      const collection = unique('collection');
      const [mine, theirs] = [unique('workspace'), unique('workspace')];
      await declare(collection, [], 'name');
      await seed(collection, [
        { id: 'a', workspace: mine, name: 'a' },
        { id: 'b', workspace: theirs, name: 'b' },
        { id: 'c', workspace: mine, name: 'c' },
      ]);

      const listed = await store.list(collection, { workspace: mine, orderBy: 'name', limit: 10 });

      expect(listed.map((document) => document.id)).toEqual(['c', 'a']);
      expect(await store.get(collection, 'b')).toMatchObject({ workspace: theirs });
    });

    it('filters a list by equality on top-level fields, whatever order the where fields come in', async () => {
      const collection = unique('collection');
      const workspace = unique('workspace');
      await store.declareIndexes(
        [['status'], ['version'], ['status', 'version']].map((equals) => ({ collection, equals, orderBy: 'name' })),
      );
      await seed(collection, [
        { id: 'a', workspace, name: 'a', status: 'active', version: 1 },
        { id: 'b', workspace, name: 'b', status: 'ended', version: 1 },
        { id: 'c', workspace, name: 'c', status: 'active', version: 2 },
        { id: 'd', workspace, name: 'd', status: 'active', version: '1' },
      ]);
      const ids = async (where: Record<string, string | number | boolean>) =>
        (await store.list(collection, { workspace, where, orderBy: 'name', limit: 10 })).map((d) => d.id);

      expect(await ids({ status: 'active' })).toEqual(['d', 'c', 'a']);
      expect(await ids({ version: 1 })).toEqual(['b', 'a']);
      expect(await ids({ version: '1' })).toEqual(['d']);
      expect(await ids({ status: 'active', version: 1 })).toEqual(['a']);
      expect(await ids({ version: 1, status: 'active' })).toEqual(['a']);
      expect(await ids({ status: 'missing' })).toEqual([]);
    });

    it('matches booleans only to booleans, never to the numbers 1 and 0 or to strings', async () => {
      const collection = unique('collection');
      const workspace = unique('workspace');
      await declare(collection, ['pinned'], 'name');
      await seed(
        collection,
        [true, false, 1, 0, 'true', 'false'].map((pinned, index) => ({ id: `d${index}`, workspace, name: `d${index}`, pinned })),
      );
      const ids = async (pinned: string | number | boolean) =>
        (await store.list(collection, { workspace, where: { pinned }, orderBy: 'name', limit: 10 })).map((d) => d.id);

      expect(await ids(true)).toEqual(['d0']);
      expect(await ids(false)).toEqual(['d1']);
      expect(await ids(1)).toEqual(['d2']);
      expect(await ids(0)).toEqual(['d3']);
      expect(await ids('true')).toEqual(['d4']);
    });

    it('orders a list by the given field, ties by id, descending by default or ascending, and limits it', async () => {
      const collection = unique('collection');
      const workspace = unique('workspace');
      await declare(collection, [], 'createdAt');
      await seed(collection, [
        { id: 'a', workspace, createdAt: '2024-01-02T00:00:00.000Z' },
        { id: 'b', workspace, createdAt: '2024-01-03T00:00:00.000Z' },
        { id: 'c', workspace, createdAt: '2024-01-02T00:00:00.000Z' },
        { id: 'd', workspace, createdAt: '2024-01-01T00:00:00.000Z' },
      ]);
      const ids = async (query: Partial<ListQuery>) =>
        (await store.list(collection, { workspace, orderBy: 'createdAt', limit: 10, ...query })).map((d) => d.id);

      expect(await ids({})).toEqual(['b', 'c', 'a', 'd']);
      expect(await ids({ limit: 2 })).toEqual(['b', 'c']);
      expect(await ids({ order: 'desc' })).toEqual(['b', 'c', 'a', 'd']);
      expect(await ids({ order: 'asc' })).toEqual(['d', 'a', 'c', 'b']);
      expect(await ids({ order: 'asc', limit: 2 })).toEqual(['d', 'a']);
    });

    describe.each([
      { order: 'desc' as const, keyset: 'before' as const, compare: (x: string, y: string) => y.localeCompare(x) },
      { order: 'asc' as const, keyset: 'after' as const, compare: (x: string, y: string) => x.localeCompare(y) },
    ])('keyset paging in $order order', ({ order, keyset, compare }) => {
      it(`pages with ${keyset}, returning every matching document exactly once, in order`, async () => {
        const collection = unique('collection');
        const workspace = unique('workspace');
        await declare(collection, ['kind'], 'createdAt');
        // Five documents share each time, so pages must break ties by id; every third is of another kind.
        const documents = Array.from({ length: 36 }, (_, i) => ({
          id: `doc-${String(i).padStart(2, '0')}`,
          workspace,
          kind: i % 3 === 0 ? 'other' : 'listed',
          createdAt: `2024-01-0${1 + (i % 5)}T00:00:00.000Z`,
        }));
        await seed(collection, documents);

        const pages: string[][] = [];
        let from: { value: string; id: string } | undefined;
        do {
          const page = await store.list<(typeof documents)[number]>(collection, {
            workspace,
            where: { kind: 'listed' },
            orderBy: 'createdAt',
            order,
            [keyset]: from,
            limit: 10,
          });
          pages.push(page.map((document) => document.id));
          const last = page.at(-1);
          from = page.length === 10 && last ? { value: last.createdAt, id: last.id } : undefined;
        } while (from);

        expect(pages.map((page) => page.length)).toEqual([10, 10, 4]);
        const expectedOrder = documents
          .filter((document) => document.kind === 'listed')
          .sort((x, y) => compare(x.createdAt, y.createdAt) || compare(x.id, y.id))
          .map((document) => document.id);
        expect(pages.flat()).toEqual(expectedOrder);
      });
    });

    it.each([
      { case: 'before in ascending order', paging: { order: 'asc' as const, before: { value: 'a', id: 'a' } } },
      { case: 'after in descending order', paging: { order: 'desc' as const, after: { value: 'a', id: 'a' } } },
      { case: 'after in the default order', paging: { after: { value: 'a', id: 'a' } } },
    ])('refuses a keyset against the order: $case', async ({ paging }) => {
      const collection = unique('collection');
      await declare(collection, [], 'createdAt');

      await expect(store.list(collection, { workspace: 'w', orderBy: 'createdAt', limit: 10, ...paging })).rejects.toThrow(/pages with/);
    });

    it('refuses a list with a where field no declared index has, naming the collection, fields and order', async () => {
      const collection = unique('collection');
      await declare(collection, ['status'], 'createdAt');
      const list = (where: Record<string, string>) => store.list(collection, { workspace: 'w', where, orderBy: 'createdAt', limit: 10 });

      const undeclared: Record<string, string>[] = [{ channelId: 'c' }, { status: 'active', channelId: 'c' }, {}];
      for (const where of undeclared) {
        const refusal = list(where);
        await expect(refusal).rejects.toBeInstanceOf(UndeclaredIndexError);
        await expect(refusal).rejects.toMatchObject({ collection, where: Object.keys(where), orderBy: 'createdAt' });
      }
      await expect(list({ status: 'active', channelId: 'c' })).rejects.toThrow(new RegExp(`${collection}.*status, channelId.*createdAt`));
    });

    it('refuses a list ordered by a field no declared index orders by, or on another collection', async () => {
      const [collection, other] = [unique('collection'), unique('collection')];
      await declare(collection, ['status'], 'createdAt');

      const byName = store.list(collection, { workspace: 'w', where: { status: 'active' }, orderBy: 'name', limit: 10 });
      await expect(byName).rejects.toBeInstanceOf(UndeclaredIndexError);
      await expect(byName).rejects.toThrow(new RegExp(`${collection}.*status.*name`));
      await expect(
        store.list(other, { workspace: 'w', where: { status: 'active' }, orderBy: 'createdAt', limit: 10 }),
      ).rejects.toBeInstanceOf(UndeclaredIndexError);
    });

    it('keeps declared indexes when declared again, alone or with more', async () => {
      const collection = unique('collection');
      const workspace = unique('workspace');
      const byStatus = { collection, equals: ['status'], orderBy: 'name' };
      const byName = { collection, equals: [], orderBy: 'name' };
      await store.declareIndexes([byStatus, byStatus]);
      await store.declareIndexes([byStatus]);
      await store.declareIndexes([{ ...byStatus, equals: ['status'] }, byName]);
      await seed(collection, [
        { id: 'a', workspace, name: 'a', status: 'active' },
        { id: 'b', workspace, name: 'b', status: 'ended' },
      ]);

      expect(await store.list(collection, { workspace, where: { status: 'active' }, orderBy: 'name', limit: 10 })).toEqual([
        { id: 'a', workspace, name: 'a', status: 'active' },
      ]);
      expect((await store.list(collection, { workspace, orderBy: 'name', limit: 10 })).map((d) => d.id)).toEqual(['b', 'a']);
    });

    it.each([`name') OR 1=1 --`, 'nested.field', '', '1st', '$where'])('refuses to declare %j as a field name', async (field) => {
      const collection = unique('collection');

      await expect(declare(collection, [], field)).rejects.toThrow(/field name/);
      await expect(declare(collection, [field], 'name')).rejects.toThrow(/field name/);
    });

    it('refuses to declare an index ordered by a field it also matches exactly', async () => {
      await expect(declare(unique('collection'), ['workflowId'], 'workflowId')).rejects.toThrow(/order by id instead/);
    });

    it('round-trips documents with nested arrays and objects intact', async () => {
      const collection = unique('collection');
      const document = {
        id: 'nested',
        workspace: 'w',
        steps: [
          { id: 'ask', type: 'ask_question', options: [{ label: 'Yes', value: 'y' }, { label: 'No' }] },
          { id: 'end', type: 'end' },
        ],
        settings: { greeting: { text: 'Hi {{contact.name}} — ¿qué tal? 👋', enabled: true }, retries: 2.5 },
        empty: { list: [], object: {} },
        nothing: null,
      };

      await seed(collection, [document]);
      await declare(collection, [], 'id');

      expect(await store.get(collection, 'nested')).toEqual(document);
      expect(await store.list(collection, { workspace: 'w', orderBy: 'id', limit: 1 })).toEqual([document]);
    });

    it('tells false, 0, a missing field and null apart in where, with a boolean and a number in one list', async () => {
      const collection = unique('collection');
      const workspace = unique('workspace');
      await store.declareIndexes([
        { collection, equals: ['flag'], orderBy: 'name' },
        { collection, equals: ['flag', 'count'], orderBy: 'name' },
      ]);
      const values: Record<string, unknown>[] = [
        { flag: false, count: 0 },
        { flag: 0, count: false },
        { flag: null, count: 0 },
        { count: 0 },
        { flag: true, count: 1 },
        { flag: 1, count: true },
        { flag: 1.5, count: 1 },
      ];
      await seed(
        collection,
        values.map((fields, index) => ({ id: `d${index}`, workspace, name: `d${index}`, ...fields })),
      );
      const ids = async (where: Record<string, string | number | boolean>) =>
        (await store.list(collection, { workspace, where, orderBy: 'name', order: 'asc', limit: 10 })).map((d) => d.id);

      expect(await ids({ flag: false })).toEqual(['d0']);
      expect(await ids({ flag: 0 })).toEqual(['d1']);
      expect(await ids({ flag: true })).toEqual(['d4']);
      expect(await ids({ flag: 1 })).toEqual(['d5']);
      expect(await ids({ flag: 1.5 })).toEqual(['d6']);
      expect(await ids({ flag: false, count: 0 })).toEqual(['d0']);
      expect(await ids({ flag: 0, count: false })).toEqual(['d1']);
      expect(await ids({ flag: true, count: 1 })).toEqual(['d4']);
      expect(await ids({ flag: 1, count: 1 })).toEqual([]);
    });

    it('stores dates as their ISO text, at any depth, so a list ordered by one pages like any other text', async () => {
      const collection = unique('collection');
      const workspace = unique('workspace');
      await declare(collection, [], 'createdAt');
      const start = Date.UTC(2024, 0, 1);
      // Every other document shares its time with the one before, so that pages break ties by id.
      const documents = Array.from({ length: 12 }, (_, i) => ({
        id: `doc-${String(i).padStart(2, '0')}`,
        workspace,
        createdAt: new Date(start + Math.floor(i / 2) * 60_000),
        history: [{ at: new Date(start), note: 'created' }],
      }));
      await seed(collection, documents);

      expect(await store.get(collection, 'doc-03')).toEqual({
        id: 'doc-03',
        workspace,
        createdAt: new Date(start + 60_000).toISOString(),
        history: [{ at: new Date(start).toISOString(), note: 'created' }],
      });
      const pages: string[][] = [];
      let before: { value: string; id: string } | undefined;
      do {
        const page = await store.list<{ id: string; workspace: string; createdAt: string }>(collection, {
          workspace,
          orderBy: 'createdAt',
          before,
          limit: 5,
        });
        pages.push(page.map((document) => document.id));
        const last = page.at(-1);
        before = page.length === 5 && last ? { value: last.createdAt, id: last.id } : undefined;
      } while (before);
      expect(pages.flat()).toEqual(documents.map((document) => document.id).reverse());
    });

    it('keeps arrays of every kind in documents, and refuses an array or object in a field an index keys by, writing nothing of its unit', async () => {
      const projection = unique('projection');
      const collection = unique('collection');
      const workspace = unique('workspace');
      await store.declareIndexes([{ collection, equals: ['status'], orderBy: 'createdAt' }]);
      const kept = {
        id: 'kept',
        workspace,
        status: 'active',
        createdAt: '2024-01-01',
        tags: ['a', 'b'],
        matrix: [[1, 2], [3], []],
        mixed: [1, 'two', true, null, { three: [3] }],
      };
      await commitNext(projection, 'p1', (tx) => tx.put(collection, kept));

      for (const [field, value] of [
        ['status', ['active', 'ended']],
        ['createdAt', ['2024-01-01']],
        ['status', { is: 'active' }],
      ] as const) {
        const refusal = store.commit(projection, { expected: 'p1', next: 'p2' }, async (tx) => {
          tx.put(collection, { id: 'other', workspace, status: 'active', createdAt: '2024-01-02' });
          tx.put(collection, { ...kept, [field]: value });
        });
        await expect(refusal).rejects.toBeInstanceOf(DocumentRefusedError);
        await expect(refusal).rejects.toThrow(new RegExp(`"kept" of collection "${collection}".*indexed field ${field}`));
      }

      expect(await store.getCheckpoint(projection)).toBe('p1');
      expect(await store.get(collection, 'other')).toBeUndefined();
      expect(await store.list(collection, { workspace, where: { status: 'active' }, orderBy: 'createdAt', limit: 10 })).toEqual([kept]);
    });

    it.each([
      {
        case: 'over 16 MiB as BSON',
        field: { text: 'x'.repeat(MAX_DOCUMENT_BYTES) },
        reason: /bytes as BSON, more than the 16777216 bytes/,
      },
      { case: 'with a field starting with $', field: { $set: 1 }, reason: /starts with \$/ },
      { case: 'with a BigInt', field: { count: 1n }, reason: /BigInt/ },
    ])('refuses a document $case, naming it, and writes nothing of its unit', async ({ field, reason }) => {
      const projection = unique('projection');
      const collection = unique('collection');

      const refusal = store.commit(projection, { expected: undefined, next: 'p1' }, async (tx) => {
        tx.put(collection, { id: 'fine', workspace: 'w' });
        tx.put(collection, { id: 'refused', workspace: 'w', ...field });
      });

      await expect(refusal).rejects.toBeInstanceOf(DocumentRefusedError);
      await expect(refusal).rejects.toThrow(reason);
      await expect(refusal).rejects.toThrow(new RegExp(`^Document "refused" of collection "${collection}"`));
      expect(await store.getCheckpoint(projection)).toBeUndefined();
      expect(await store.get(collection, 'fine')).toBeUndefined();
    });

    it('rebuilds a read model larger than one transaction holds; readers see the old one until the switch, then only the new one', async () => {
      const [projection, emptied] = [unique('projection'), unique('projection')];
      const collection = unique('collection');
      const workspace = unique('workspace');
      await declare(collection, ['kind'], 'createdAt');
      const old = { id: 'old', workspace, kind: 'card', createdAt: '2023-12-31', v: 1 };
      await commitNext(projection, 'p-old', (tx) => tx.put(collection, old));
      await commitNext(emptied, 'e-old', () => undefined);
      const rebuilt = await openStore();
      try {
        // 24 MiB in all: more than the 16 MiB one oplog entry, and so once one transaction, could hold.
        const padding = 'x'.repeat(8 * 1024);
        const documents = Array.from({ length: 3000 }, (_, i) => ({
          id: `doc-${String(i).padStart(4, '0')}`,
          workspace,
          kind: i % 2 === 0 ? 'card' : 'note',
          createdAt: `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
          padding,
        }));
        for (let from = 0; from < documents.length; from += 500) {
          await rebuilt.store.commit(
            projection,
            { expected: from === 0 ? undefined : `p-${from}`, next: `p-${from + 500}` },
            async (tx) => {
              for (const document of documents.slice(from, from + 500)) tx.put(collection, document);
            },
          );
        }
        let seenDuringCopy: unknown;
        const source = readingObserved(rebuilt.store, collection, documents.length - 1, async () => {
          seenDuringCopy = {
            old: await store.get(collection, 'old'),
            copied: await store.get(collection, 'doc-0000'),
            listed: (await store.list(collection, { workspace, where: { kind: 'card' }, orderBy: 'createdAt', limit: 10 })).map(
              (d) => d.id,
            ),
            checkpoint: await store.getCheckpoint(projection),
            emptied: await store.getCheckpoint(emptied),
          };
        });

        await store.replaceProjections(source, [
          { name: projection, collections: [collection] },
          { name: emptied, collections: [] },
        ]);

        expect(seenDuringCopy).toEqual({ old, copied: undefined, listed: ['old'], checkpoint: 'p-old', emptied: 'e-old' });
        let count = 0;
        for await (const document of store.allDocuments(collection)) {
          expect(document).toEqual(documents[count]);
          count += 1;
        }
        expect(count).toBe(documents.length);
        expect(await store.get(collection, 'old')).toBeUndefined();
        expect(await store.getCheckpoint(projection)).toBe('p-3000');
        expect(await store.getCheckpoint(emptied)).toBeUndefined();
        const cards = await store.list(collection, { workspace, where: { kind: 'card' }, orderBy: 'createdAt', limit: 3 });
        expect(cards.map((d) => d.id)).toEqual(['doc-2998', 'doc-2938', 'doc-2878']);
      } finally {
        await rebuilt.dispose();
      }

      // Units go on from the rebuilt checkpoints, into the rebuilt read model.
      await store.commit(projection, { expected: 'p-3000', next: 'p-3001' }, async (tx) => {
        tx.put(collection, { ...(await tx.get(collection, 'doc-0000'))!, v: 2 });
      });
      await store.commit(emptied, { expected: undefined, next: 'e-1' }, async () => undefined);
      expect(await store.get(collection, 'doc-0000')).toMatchObject({ v: 2 });
      expect(await store.getCheckpoint(emptied)).toBe('e-1');
    });
  });
}

/**
 * The source of a rebuild, which runs `observe` once it has handed out `after` documents of
 * `collection` (or, read as a snapshot, all of them): a look at the rebuilt store while the copy
 * is under way.
 */
export function readingObserved(source: ReadModelStore, collection: string, after: number, observe: () => Promise<void>): ReadModelStore {
  return {
    getCheckpoint: (projection) => source.getCheckpoint(projection),
    commit: (projection, checkpoint, work) => source.commit(projection, checkpoint, work),
    commitWrites: (projection, checkpoint, writes) => source.commitWrites(projection, checkpoint, writes),
    get: (name, id) => source.get(name, id),
    declareIndexes: (indexes) => source.declareIndexes(indexes),
    list: (name, query) => source.list(name, query),
    async *allDocuments<T extends ReadModelDocument>(name: string): AsyncIterable<T> {
      let handedOut = 0;
      for await (const document of source.allDocuments<T>(name)) {
        yield document;
        handedOut += 1;
        if (name === collection && handedOut === after) await observe();
      }
    },
    replaceProjections: (from, projections) => source.replaceProjections(from, projections),
    async snapshotProjections(projections) {
      const snapshot = await source.snapshotProjections(projections);
      if (snapshot.documents.has(collection)) await observe();
      return snapshot;
    },
    close: () => source.close(),
  };
}

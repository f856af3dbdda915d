import { OnDemandIndexes } from './on-demand-indexes.js';

type IndexedCollection = Parameters<OnDemandIndexes['ensure']>[0];

/** Records every index creation asked of it; the first `failures` of them fail. */
function fakeCollection(collectionName: string, calls: unknown[], failures: Error[] = []): IndexedCollection {
  const createIndex = async (key: unknown) => {
    calls.push(key);
    await Promise.resolve();
    const failure = failures.shift();
    if (failure) throw failure;
    return 'created';
  };
  return { collectionName, createIndex } as unknown as IndexedCollection;
}

describe('OnDemandIndexes', () => {
  it('creates an index once, however many queries need it at the same time', async () => {
    const calls: unknown[] = [];
    const indexes = new OnDemandIndexes();
    const cards = fakeCollection('cards', calls);

    await Promise.all([1, 2, 3].map(() => indexes.ensure(cards, { workspace: 1, createdAt: -1 })));
    await indexes.ensure(cards, { workspace: 1, createdAt: -1 });

    expect(calls).toEqual([{ workspace: 1, createdAt: -1 }]);
  });

  it('tells indexes apart by collection and by the order of their fields', async () => {
    const calls: unknown[] = [];
    const indexes = new OnDemandIndexes();

    await indexes.ensure(fakeCollection('cards', calls), { workspace: 1, name: -1 });
    await indexes.ensure(fakeCollection('sessions', calls), { workspace: 1, name: -1 });
    await indexes.ensure(fakeCollection('cards', calls), { name: -1, workspace: 1 });

    expect(calls).toHaveLength(3);
  });

  it('forgets a failed creation, so the next query tries again', async () => {
    const calls: unknown[] = [];
    const failure = new Error('not authorized');
    const indexes = new OnDemandIndexes();
    const cards = fakeCollection('cards', calls, [failure]);

    await expect(indexes.ensure(cards, { workspace: 1 })).rejects.toBe(failure);
    await indexes.ensure(cards, { workspace: 1 });

    expect(calls).toHaveLength(2);
  });
});

import type { ReadModelIndex } from '../read-model-store.port.js';
import { indexesToCreate, MAX_INDEXES_PER_COLLECTION } from './mongodb-indexes.js';

const declarations = (count: number): ReadModelIndex[] =>
  Array.from({ length: count }, (_, index) => ({ collection: 'cards', equals: [`field${index}`], orderBy: 'createdAt' }));

describe('indexesToCreate', () => {
  it('creates one compound index per declaration, leaving out those the collection has', () => {
    const declared = declarations(2);

    expect(
      indexesToCreate('cards', declared, [{ name: '_id_', key: { _id: 1 } }, { key: { workspace: 1, field0: 1, createdAt: -1, _id: -1 } }]),
    ).toEqual([{ key: { workspace: 1, field1: 1, createdAt: -1, _id: -1 } }]);
  });

  it('keeps a collection within the 64 indexes MongoDB allows: 63 declarations beside the _id index', () => {
    expect(indexesToCreate('cards', declarations(MAX_INDEXES_PER_COLLECTION - 1), [])).toHaveLength(MAX_INDEXES_PER_COLLECTION - 1);
    expect(() => indexesToCreate('cards', declarations(MAX_INDEXES_PER_COLLECTION), [])).toThrow(
      'Collection "cards" would need 65 indexes, more than the 64 MongoDB keeps per collection: its projections declare 64, beside the _id index',
    );
  });

  it('counts the indexes no projection declares, naming them to drop', () => {
    const existing = [
      { name: '_id_', key: { _id: 1 } },
      { name: 'by_name', key: { name: 1 } },
      { name: 'by_status', key: { status: 1 } },
    ];

    expect(() => indexesToCreate('cards', declarations(MAX_INDEXES_PER_COLLECTION - 2), existing)).toThrow(
      /would need 65 indexes.*and it has 2 no projection declares \(drop them: by_name, by_status\)/,
    );
  });

  it('counts an index once, declared and already there', () => {
    const declared = declarations(MAX_INDEXES_PER_COLLECTION - 1);
    const existing = [
      { name: '_id_', key: { _id: 1 } },
      { name: 'declared', key: { workspace: 1, field0: 1, createdAt: -1, _id: -1 } },
    ];

    expect(indexesToCreate('cards', declared, existing)).toHaveLength(MAX_INDEXES_PER_COLLECTION - 2);
  });
});

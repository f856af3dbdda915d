import type { ReadModelDocument } from '../read-model-store.port.js';
import { bulkWritesByCollection, fromStoredDocument, idFilter } from './mongodb-documents.js';

/** A put as a projection's transaction hands it over. */
const put = (collection: string, document: ReadModelDocument) =>
  ({ kind: 'put', collection, id: document.id, workspace: document.workspace, json: JSON.stringify(document) }) as const;

describe('MongoDB documents', () => {
  it('replaces a put document under its id, keeping every other field as it is', () => {
    const steps = [{ id: 'ask', options: [{ label: 'Yes' }] }];

    const writes = bulkWritesByCollection([put('cards', { id: 'a', workspace: 'w', steps, nothing: null })]);

    expect([...writes]).toEqual([
      ['cards', [{ replaceOne: { filter: { _id: 'a' }, replacement: { workspace: 'w', steps, nothing: null }, upsert: true } }]],
    ]);
  });

  it('groups the writes of a unit by collection', () => {
    const writes = bulkWritesByCollection([
      put('cards', { id: 'a', workspace: 'w' }),
      { kind: 'delete', collection: 'sessions', id: 's1' },
      { kind: 'delete', collection: 'cards', id: 'b' },
    ]);

    expect(Object.fromEntries(writes)).toEqual({
      cards: [
        { replaceOne: { filter: { _id: 'a' }, replacement: { workspace: 'w' }, upsert: true } },
        { deleteOne: { filter: { _id: 'b' } } },
      ],
      sessions: [{ deleteOne: { filter: { _id: 's1' } } }],
    });
  });

  it('refuses a document with a field of its own named _id', () => {
    expect(() => bulkWritesByCollection([put('cards', { id: 'a', workspace: 'w', _id: 'b' })])).toThrow(/_id is reserved/);
  });

  it('restores the id of a stored document', () => {
    expect(fromStoredDocument({ _id: 'a', workspace: 'w', name: 'Welcome' })).toEqual({
      id: 'a',
      workspace: 'w',
      name: 'Welcome',
    });
  });

  it('accepts only string ids, so no operator can pass for one', () => {
    expect(idFilter('a')).toEqual({ _id: 'a' });
    expect(() => idFilter({ $ne: null } as unknown as string)).toThrow(TypeError);
  });
});

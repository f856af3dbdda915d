import { normalisedDocument } from '../document-normalisation.js';
import type { ReadModelDocument } from '../read-model-store.port.js';
import { bulkWritesByCollection, fromStoredDocument, idFilter, toStoredDocument } from './mongodb-documents.js';

/** A put as a projection's transaction hands it over. */
const put = (collection: string, document: ReadModelDocument) => {
  const { document: normalised, json } = normalisedDocument(collection, document);
  return { kind: 'put', collection, id: normalised.id, workspace: normalised.workspace, json, document: normalised } as const;
};

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

  it('writes what normalising made of a document, never the object the projection put', () => {
    const writes = bulkWritesByCollection([put('cards', { id: 'a', workspace: 'w', at: new Date('2024-01-02T03:04:05.000Z') })]);

    expect(writes.get('cards')).toEqual([
      { replaceOne: { filter: { _id: 'a' }, replacement: { workspace: 'w', at: '2024-01-02T03:04:05.000Z' }, upsert: true } },
    ]);
  });

  it('keeps the id under _id and restores it from there', () => {
    expect(toStoredDocument({ id: 'a', workspace: 'w', name: 'Welcome' })).toEqual({ _id: 'a', workspace: 'w', name: 'Welcome' });
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

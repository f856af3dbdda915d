import type { AnyBulkWriteOperation } from 'mongodb';
import type { PendingWrite } from '../buffered-projection-transaction.js';
import type { ReadModelDocument } from '../read-model-store.port.js';

/** A read-model document as MongoDB holds it: the id under `_id`, every other field as it is. */
export interface StoredDocument {
  _id: string;
  [field: string]: unknown;
}

/**
 * The filter for one document or checkpoint. Types do not reach run time: a key that is not a string
 * (say `{ $ne: null }` from a request body) would be read as an operator and match anything.
 */
export function idFilter(id: string): { _id: string } {
  if (typeof id !== 'string') throw new TypeError(`Not a string id: ${JSON.stringify(id)}`);
  return { _id: id };
}

export function fromStoredDocument<T extends ReadModelDocument>({ _id, ...fields }: StoredDocument): T {
  return { id: _id, ...fields } as unknown as T;
}

/** A normalised document as MongoDB holds it: `id` as `_id`, which normalising keeps free. */
export function toStoredDocument({ id, ...fields }: ReadModelDocument): StoredDocument {
  return { _id: id, ...fields };
}

function bulkWriteOf(write: PendingWrite): AnyBulkWriteOperation<StoredDocument> {
  if (write.kind === 'delete') return { deleteOne: { filter: idFilter(write.id) } };
  const { id, ...replacement } = write.document;
  return { replaceOne: { filter: idFilter(id), replacement, upsert: true } };
}

/**
 * A unit's writes as one bulk write per collection. Their order does not matter: the buffered
 * transaction keeps only the latest write per document.
 */
export function bulkWritesByCollection(writes: readonly PendingWrite[]): Map<string, AnyBulkWriteOperation<StoredDocument>[]> {
  const byCollection = new Map<string, AnyBulkWriteOperation<StoredDocument>[]>();
  for (const write of writes) {
    const operations = byCollection.get(write.collection) ?? [];
    operations.push(bulkWriteOf(write));
    byCollection.set(write.collection, operations);
  }
  return byCollection;
}

import type { Collection, Document, IndexSpecification } from 'mongodb';

type IndexedCollection = Pick<Collection<Document>, 'collectionName' | 'createIndex'>;

/**
 * Creates each index the first time a query needs it, once per process. Callers choose the fields
 * they filter and order by, so the indexes cannot be listed up front. `createIndex` is a no-op
 * for an index that already exists, so other processes doing the same is harmless; a failed
 * creation is forgotten, so the next query tries again.
 */
export class OnDemandIndexes {
  private readonly created = new Map<string, Promise<unknown>>();

  ensure(collection: IndexedCollection, key: Record<string, 1 | -1>): Promise<unknown> {
    // JSON keeps the key's field order, which is part of what makes an index.
    const identity = `${collection.collectionName} ${JSON.stringify(key)}`;
    let creation = this.created.get(identity);
    if (!creation) {
      creation = collection.createIndex(key satisfies IndexSpecification).catch((error: unknown) => {
        this.created.delete(identity);
        throw error;
      });
      this.created.set(identity, creation);
    }
    return creation;
  }
}

import type { PendingWrite } from './buffered-projection-transaction.js';
import { DocumentRefusedError, mayNestValues, type NormalisedDocument } from './document-normalisation.js';
import { plainFieldName } from './field-name.js';
import { type ListQuery, type ReadModelIndex, UndeclaredIndexError } from './read-model-store.port.js';

/** `where` keys come in any order, so a shape holds its equality fields as a set. */
const shapeKey = (collection: string, equals: readonly string[], orderBy: string): string =>
  JSON.stringify([collection, [...equals].sort(), orderBy]);

function checkedIndex({ collection, equals, orderBy }: ReadModelIndex): ReadModelIndex {
  for (const field of [...equals, orderBy]) plainFieldName(field);
  const shape = `Index of "${collection}" on [${equals.join(', ')}] ordered by ${orderBy}`;
  if (new Set(equals).size !== equals.length) throw new Error(`${shape}: a field is repeated in equals`);
  // Equal values leave nothing to order by but the id, which an index would then no longer give in order.
  if (equals.includes(orderBy)) throw new Error(`${shape}: it is ordered by a field it matches exactly; order by id instead`);
  return { collection, equals: [...equals], orderBy };
}

/** The query shapes a store has built indexes for, and which of them serves a list query. */
export class DeclaredIndexes {
  private readonly byShape = new Map<string, ReadModelIndex>();
  /** Per collection, the fields its declared indexes key documents by. */
  private readonly indexedFields = new Map<string, Set<string>>();

  /**
   * Checks `indexes` and has `create` build those not declared yet, each shape once. They count
   * as declared only once created, so a failed creation leaves them undeclared.
   */
  async declare(indexes: readonly ReadModelIndex[], create: (fresh: ReadModelIndex[]) => Promise<void> | void): Promise<void> {
    const fresh = new Map<string, ReadModelIndex>();
    for (const index of indexes.map(checkedIndex)) {
      const key = shapeKey(index.collection, index.equals, index.orderBy);
      if (!this.byShape.has(key)) fresh.set(key, index);
    }
    if (fresh.size === 0) return;
    await create([...fresh.values()]);
    for (const [key, index] of fresh) {
      this.byShape.set(key, index);
      const fields = this.indexedFields.get(index.collection) ?? new Set<string>();
      for (const field of [...index.equals, index.orderBy]) fields.add(field);
      this.indexedFields.set(index.collection, fields);
    }
  }

  /** The indexes declared so far for `collection`. */
  declaredFor(collection: string): ReadModelIndex[] {
    return [...this.byShape.values()].filter((index) => index.collection === collection);
  }

  /**
   * Refuses a document whose indexed field holds an array or object: an index key is one string,
   * number or boolean. MongoDB would index each element of an array (so equality would match any
   * element, and the order by it would break) and cannot index a document with arrays in two
   * fields of one index at all ("cannot index parallel arrays"); SQLite would index the JSON text.
   */
  requireIndexable(collection: string, normalised: Pick<NormalisedDocument, 'json' | 'document'>): void {
    const fields = this.indexedFields.get(collection);
    // Most documents hold no object or array at all, and need not be parsed to tell.
    if (!fields || !mayNestValues(normalised.json)) return;
    const { document } = normalised;
    for (const field of fields) {
      const value = document[field];
      if (value !== null && typeof value === 'object') {
        throw new DocumentRefusedError(
          collection,
          document.id,
          `the indexed field ${field} holds ${Array.isArray(value) ? 'an array' : 'an object'}; an index key is one string, number or boolean`,
        );
      }
    }
  }

  /** `requireIndexable` for every document `writes` put. */
  requireIndexableWrites(writes: readonly PendingWrite[]): void {
    for (const write of writes) if (write.kind === 'put') this.requireIndexable(write.collection, write);
  }

  /** The declared index of `collection` that serves `query`; throws `UndeclaredIndexError` if there is none. */
  serving(collection: string, query: ListQuery): ReadModelIndex {
    const where = Object.keys(query.where ?? {});
    const index = this.byShape.get(shapeKey(collection, where, query.orderBy));
    if (!index) throw new UndeclaredIndexError(collection, where, query.orderBy);
    return index;
  }
}

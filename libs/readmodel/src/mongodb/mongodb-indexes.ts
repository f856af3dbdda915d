import type { IndexDescription } from 'mongodb';
import type { ReadModelIndex } from '../read-model-store.port.js';
import { mongoIndexKey } from './mongodb-list-query.js';

/** MongoDB keeps at most this many indexes per collection, the `_id` index among them. */
export const MAX_INDEXES_PER_COLLECTION = 64;

/** An index as `listIndexes` tells of it. */
export interface ExistingIndex {
  name?: string;
  key: Record<string, unknown>;
}

const ID_INDEX_KEY = JSON.stringify({ _id: 1 });

/**
 * The indexes to create on a collection for its declarations, leaving out those it has. Refused at
 * start, before anything is created, when the collection would hold more than MongoDB allows —
 * the declarations, the `_id` index and any index on it that no projection declares (left by an
 * older version, or made by hand) — rather than by the server at some later creation.
 */
export function indexesToCreate(
  collection: string,
  declared: readonly ReadModelIndex[],
  existing: readonly ExistingIndex[],
): IndexDescription[] {
  const existingKeys = new Map(existing.map((index) => [JSON.stringify(index.key), index.name ?? JSON.stringify(index.key)]));
  const wanted = new Map(declared.map((index) => [JSON.stringify(mongoIndexKey(index)), mongoIndexKey(index)]));
  const all = new Set([ID_INDEX_KEY, ...existingKeys.keys(), ...wanted.keys()]);
  if (all.size > MAX_INDEXES_PER_COLLECTION) {
    const undeclared = [...existingKeys].filter(([key]) => key !== ID_INDEX_KEY && !wanted.has(key)).map(([, name]) => name);
    throw new Error(
      `Collection "${collection}" would need ${all.size} indexes, more than the ${MAX_INDEXES_PER_COLLECTION} MongoDB keeps per collection: ` +
        `its projections declare ${wanted.size}, beside the _id index` +
        (undeclared.length > 0 ? `, and it has ${undeclared.length} no projection declares (drop them: ${undeclared.join(', ')})` : ''),
    );
  }
  return [...wanted].filter(([key]) => !existingKeys.has(key)).map(([, key]) => ({ key }));
}

import type { Filter } from 'mongodb';
import type { ListQuery } from '../read-model-store.port.js';
import type { StoredDocument } from './mongodb-documents.js';
import { mongoFieldName } from './mongodb-names.js';

type Direction = 1 | -1;
type Scalar = string | number | boolean;

/** A `list` call translated for MongoDB's `find`, with the index that serves it. */
export interface MongoListQuery {
  filter: Filter<StoredDocument>;
  sort: Record<string, Direction>;
  limit: number;
  /**
   * Equality fields first, then the sort keys (MongoDB's equality-sort-range rule): the index
   * finds the workspace's matching documents already in order, and the keyset range rides on the
   * sort keys. Keyed by field name in order, as MongoDB reads index keys.
   */
  index: Record<string, Direction>;
}

/**
 * Every value a caller supplies is checked to be what the port promises: an object here (say
 * `{ $ne: '' }` smuggled in through a request) would be read as an operator, not a value.
 */
function requireScalar(what: string, value: unknown): Scalar {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new TypeError(`${what} must be a string, number or boolean, not ${JSON.stringify(value)}`);
}

function requireString(what: string, value: unknown): string {
  if (typeof value === 'string') return value;
  throw new TypeError(`${what} must be a string, not ${JSON.stringify(value)}`);
}

function requireCount(what: string, value: unknown): number {
  if (Number.isInteger(value) && (value as number) >= 0) return value as number;
  throw new RangeError(`${what} must be a whole number of zero or more, not ${JSON.stringify(value)}`);
}

/**
 * Strictly after `before` in (order field descending, id descending) order. `$and` rather than
 * one object keeps both conditions when the order field is the id itself.
 */
function keysetAfter(orderField: string, before: { value: string; id: string }): Filter<StoredDocument> {
  const value = requireString('before.value', before.value);
  const id = requireString('before.id', before.id);
  return { $or: [{ [orderField]: { $lt: value } }, { $and: [{ [orderField]: value }, { _id: { $lt: id } }] }] };
}

export function mongoListQuery(query: ListQuery): MongoListQuery {
  const orderField = mongoFieldName(query.orderBy);
  const equalities: [string, Scalar][] = [
    ['workspace', requireString('workspace', query.workspace)],
    ...Object.entries(query.where ?? {})
      .map(([field, value]): [string, Scalar] => [mongoFieldName(field), requireScalar(`where.${field}`, value)])
      .sort(([left], [right]) => (left < right ? -1 : 1)),
  ];
  // Conditions in a list, never merged into one object: a `where` on `workspace` must narrow the
  // workspace filter, not replace it.
  const conditions: Filter<StoredDocument>[] = equalities.map(([field, value]) => ({ [field]: value }));
  if (query.before) conditions.push(keysetAfter(orderField, query.before));

  const sort: Record<string, Direction> = { [orderField]: -1, _id: -1 };
  const index: Record<string, Direction> = {};
  for (const [field] of equalities) index[field] = 1;
  for (const [field, direction] of Object.entries(sort)) if (!(field in index)) index[field] = direction;

  return { filter: { $and: conditions }, sort, limit: requireCount('limit', query.limit), index };
}

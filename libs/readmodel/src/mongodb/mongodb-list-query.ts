import type { Filter } from 'mongodb';
import { type ListPaging, type ListQuery, listPaging, type ReadModelIndex } from '../read-model-store.port.js';
import type { StoredDocument } from './mongodb-documents.js';
import { mongoFieldName } from './mongodb-names.js';

type Direction = 1 | -1;
type Scalar = string | number | boolean;

/** A `list` call translated for MongoDB's `find`. */
export interface MongoListQuery {
  filter: Filter<StoredDocument>;
  sort: Record<string, Direction>;
  limit: number;
}

/**
 * The compound index of a declaration: the workspace and equality fields first, then the sort
 * keys (MongoDB's equality-sort-range rule), so it finds the matching documents already in order
 * and the keyset range rides on the sort keys. Walked backwards, it serves the ascending order.
 * Keyed by field name in order, as MongoDB reads index keys.
 */
export function mongoIndexKey({ equals, orderBy }: ReadModelIndex): Record<string, Direction> {
  const key: Record<string, Direction> = { workspace: 1 };
  for (const field of equals) key[mongoFieldName(field)] = 1;
  for (const field of [mongoFieldName(orderBy), '_id']) if (!(field in key)) key[field] = -1;
  return key;
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
 * Strictly after the keyset in the list's order. The bound on the order field alone lets the
 * index seek to it; the `$or` then leaves out the documents up to the keyset's id among those
 * with its value. Separate conditions keep both when the order field is the id itself.
 */
function keysetConditions(orderField: string, { order, after }: Required<ListPaging>): Filter<StoredDocument>[] {
  const value = requireString('keyset value', after.value);
  const id = requireString('keyset id', after.id);
  const [beyond, reached] = order === 'desc' ? ['$lt', '$lte'] : ['$gt', '$gte'];
  return [{ [orderField]: { [reached]: value } }, { $or: [{ [orderField]: { [beyond]: value } }, { _id: { [beyond]: id } }] }];
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
  const { order, after } = listPaging(query);
  if (after) conditions.push(...keysetConditions(orderField, { order, after }));

  const direction: Direction = order === 'desc' ? -1 : 1;
  const sort: Record<string, Direction> = { [orderField]: direction, _id: direction };
  return { filter: { $and: conditions }, sort, limit: requireCount('limit', query.limit) };
}

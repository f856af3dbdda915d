import { plainFieldName } from '../field-name.js';

/** Where each projection's checkpoint lives, as `{ _id: projection, position }`. */
export const CHECKPOINTS_COLLECTION = 'checkpoints';

/** Which generation of each read-model collection readers use, as `{ _id: collection, generation }`. */
export const GENERATIONS_COLLECTION = 'read-model-generations';

/**
 * Starts with a letter and has no dot, so it can never name a `system.*` or otherwise special
 * namespace, nor a generation (`<collection>.<generation>`) of another collection.
 */
const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

const RESERVED_NAMES = new Map([
  [CHECKPOINTS_COLLECTION, 'projection checkpoints'],
  [GENERATIONS_COLLECTION, 'the generations of the read-model collections'],
  // Its generations would be named system.<generation>, a namespace MongoDB keeps to itself.
  ['system', 'MongoDB'],
]);

/** A read-model collection's name, once checked: a rebuilt generation of it is named after it. */
export function mongoCollectionName(collection: string): string {
  if (!COLLECTION_NAME.test(collection)) {
    throw new Error(`Not a valid read-model collection name: ${JSON.stringify(collection)}`);
  }
  const reservedFor = RESERVED_NAMES.get(collection);
  if (reservedFor !== undefined) throw new Error(`The collection name "${collection}" is reserved for ${reservedFor}`);
  return collection;
}

/** Where a document field is stored: `id` is the `_id` key, so `_id` cannot also be a field of its own. */
export function mongoFieldName(field: string): string {
  if (plainFieldName(field) === '_id') {
    throw new Error('The field name _id is reserved: the document id is stored there');
  }
  return field === 'id' ? '_id' : field;
}

/**
 * The database a connection string names in its path (`mongodb://host/<database>?options`), if any.
 * The driver would fall back to `test` without one, which cannot be told apart from naming `test`.
 * The authority never holds a raw `/` or `?`: the driver rejects user info that does not escape them.
 */
export function databaseNamedIn(connectionString: string): string | undefined {
  const path = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?#]*)/i.exec(connectionString)?.[1];
  return path ? decodeURIComponent(path) : undefined;
}

import { createHash } from 'node:crypto';
import { SQLITE_BOUND_LIMIT } from '#eventstore';
import { plainFieldName } from '../field-name.js';
import { type ListQuery, listPaging, type ReadModelIndex } from '../read-model-store.port.js';

/**
 * A string as an SQL literal. The planner matches a partial index's WHERE and an index's
 * expressions only against the same literal text, never against bound parameters.
 */
const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

const jsonPath = (field: string): string => sqlString(`$.${plainFieldName(field)}`);

/** What a field is indexed by and queried by: the same text in both, or the index goes unused. */
const fieldValue = (field: string): string => `json_extract(body, ${jsonPath(field)})`;

/**
 * The JSON types a value may match. json_extract gives JSON true and false as 1 and 0, and an
 * object or array as its JSON text, so equality alone would let a number match a boolean.
 */
function jsonTypesMatching(field: string, value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `'text'`;
    case 'number':
      return `'integer', 'real'`;
    case 'boolean':
      return `'true', 'false'`;
    default:
      throw new TypeError(`where.${field} must be a string, number or boolean, not ${JSON.stringify(value)}`);
  }
}

/** Readable in a schema listing, and unique per declaration through the hash. */
export function sqliteIndexName({ collection, equals, orderBy }: ReadModelIndex): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([collection, equals, orderBy]))
    .digest('hex')
    .slice(0, 12);
  const readable = [collection, ...equals, orderBy].join('_').replace(/[^A-Za-z0-9_]/g, '_');
  return `documents_${readable}_${hash}`;
}

/**
 * One index per declaration, over the collection's documents only: the workspace and equality
 * fields find the matching documents, already in (order value, id) order either way.
 */
export function sqliteIndexDefinition(index: ReadModelIndex): string {
  const keys = ['workspace', ...index.equals.map(fieldValue), fieldValue(index.orderBy), 'id'];
  return (
    `CREATE INDEX IF NOT EXISTS "${sqliteIndexName(index)}" ON documents (${keys.join(', ')}) ` +
    `WHERE collection = ${sqlString(index.collection)}`
  );
}

/**
 * A list query as SQL the index declared for it serves. Only values are parameters, so one
 * statement text serves every query of the same shape.
 */
export function sqliteListQuery(index: ReadModelIndex, query: ListQuery): { sql: string; params: unknown[] } {
  const { order, after } = listPaging(query);
  const conditions = [`collection = ${sqlString(index.collection)}`, 'workspace = ?'];
  const params: unknown[] = [query.workspace];
  for (const field of index.equals) {
    const value = query.where?.[field];
    conditions.push(`${fieldValue(field)} = ?`, `json_type(body, ${jsonPath(field)}) IN (${jsonTypesMatching(field, value)})`);
    params.push(typeof value === 'boolean' ? Number(value) : value);
  }
  const orderValue = fieldValue(index.orderBy);
  if (after) {
    const [beyond, reached] = order === 'desc' ? ['<', '<='] : ['>', '>='];
    // A row value over expressions, (value, id) < (?, ?), gets no index range; a bound on the value does.
    conditions.push(`${orderValue} ${reached} ?`, `(${orderValue} ${beyond} ? OR id ${beyond} ?)`);
    params.push(after.value, after.value, after.id);
  }
  const direction = order === 'desc' ? 'DESC' : 'ASC';
  params.push(query.limit);
  return {
    sql: `SELECT body FROM documents WHERE ${conditions.join(' AND ')} ORDER BY ${orderValue} ${direction}, id ${direction} ${SQLITE_BOUND_LIMIT}`,
    params,
  };
}

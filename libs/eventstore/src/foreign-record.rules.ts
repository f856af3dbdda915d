/**
 * The log may hold records another tool wrote to the same backend: binary data, no metadata,
 * JSON that is not an object. The service cannot read them as events, and one of them must not
 * stop every reader of the log either: adapters skip such a record and report it. These rules
 * say whether a stored record is one the port wrote.
 */

/** Stands for stored text that does not parse as JSON. */
export const NOT_JSON = Symbol('not JSON');

/** What `value` is when it is not a JSON object; undefined when it is one. */
function notAJsonObject(value: unknown): string | undefined {
  if (value === undefined) return 'missing';
  if (value === NOT_JSON) return 'not JSON';
  if (value instanceof Uint8Array) return 'binary';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `a ${typeof value}`;
  return undefined;
}

/**
 * Why a record with this data and metadata was not written through the port (which stores JSON
 * objects in both), or undefined when it may have been.
 */
export function foreignRecordReason(data: unknown, metadata: unknown): string | undefined {
  const problems = [
    ['data', notAJsonObject(data)],
    ['metadata', notAJsonObject(metadata)],
  ].flatMap(([part, problem]) => (problem === undefined ? [] : [`its ${part} is ${problem}`]));
  return problems.length === 0 ? undefined : `${problems.join(' and ')}, not a JSON object`;
}

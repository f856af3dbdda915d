/** Plain top-level names only: no JSON path, dotted path, `$` operator or quote can ride in on one. */
const PLAIN_FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Returns `field` once it is known to be safe to put into a query as a field name; throws otherwise. */
export function plainFieldName(field: string): string {
  if (!PLAIN_FIELD_NAME.test(field)) throw new Error(`Not a plain top-level field name: ${JSON.stringify(field)}`);
  return field;
}

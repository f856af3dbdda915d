/** What a session remembers of its customer's answers, by the question's `variable`. */
export type VariableValue = string | number;
export type SessionVariables = Readonly<Record<string, VariableValue>>;

/**
 * The value of a variable, if the session has set it. Variable names such as `constructor` are
 * valid, so only the session's own entries count, never what an object inherits.
 */
export const variableValue = (variables: SessionVariables, name: string): VariableValue | undefined =>
  Object.hasOwn(variables, name) ? variables[name] : undefined;

const DECIMAL_PATTERN = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;

/** A plain decimal such as `42`, `-3.5` or `.5` (surrounding whitespace ignored); anything else is not a number. */
export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DECIMAL_PATTERN.test(trimmed)) return undefined;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : undefined;
}

/** A variable as a number: numbers as they are, strings when they are decimals. */
export const asNumber = (value: VariableValue | undefined): number | undefined => (typeof value === 'string' ? parseDecimal(value) : value);

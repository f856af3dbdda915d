/**
 * The zod building blocks of the step schema. Each carries the message a caller reads when a value
 * does not fit, naming the rule (`must be an integer from 1 to 50`), and the description a form
 * shows as help; a value that is missing altogether is `is required` wherever it is.
 */
import { z } from 'zod';

/** The JSON Schema `format` of the fields that name a step to go to; validation resolves them once every id is known. */
export const STEP_ID_FORMAT = 'step-id';

interface IssueInput {
  readonly input?: unknown;
}

/** The message for a wrong value; fields are absent when undefined, and `null` is a wrong value. */
const unlessMissing =
  (message: string) =>
  ({ input }: IssueInput): string =>
    input === undefined ? 'is required' : message;

/** 1..maxLength characters, not only whitespace (`\S` finds a character that `trim()` keeps). */
export const text = (maxLength: number, description: string) => {
  const message = `must be a string of 1 to ${maxLength} characters, not only whitespace`;
  return z
    .string({ error: unlessMissing(message) })
    .min(1, message)
    .max(maxLength, message)
    .regex(/\S/, message)
    .describe(description);
};

/** `rule` says in words what `pattern` allows (`must be 1 to 64 letters, …`): a regex is no message. */
export const matching = (pattern: RegExp, rule: string, description: string) =>
  z
    .string({ error: unlessMissing(rule) })
    .regex(pattern, rule)
    .describe(description);

export const integer = (min: number, max: number, description: string) => {
  const message = `must be an integer from ${min} to ${max}`;
  return z
    .int({ error: unlessMissing(message) })
    .min(min, message)
    .max(max, message)
    .describe(description);
};

export const oneOf = <const Values extends readonly [string, ...string[]]>(values: Values, description: string) =>
  z.enum(values, { error: unlessMissing(`must be one of ${values.join(', ')}`) }).describe(description);

export const listOf = <Item extends z.ZodType>(item: Item, min: number, max: number, description: string) => {
  const message = `must be a list of ${min} to ${max} items`;
  return z
    .array(item, { error: unlessMissing(message) })
    .min(min, message)
    .max(max, message)
    .describe(description);
};

/** What a field naming a step is refused with when it names none at all (not a string, or empty). */
export const STEP_TARGET_RULE = 'must be the id of a step';

/** A field naming the step a session goes to; the target's existence is checked across the whole flow. */
export const stepTarget = (description: string) =>
  z.string({ error: unlessMissing(STEP_TARGET_RULE) }).meta({ description, format: STEP_ID_FORMAT });

export const isStepTarget = (schema: z.core.$ZodType): boolean => z.globalRegistry.get(schema)?.format === STEP_ID_FORMAT;

/**
 * An object with exactly the fields of `shape`: any other is reported, key by key, as not a field
 * of `owner` (`send_message steps`), so a typo (`nxt`) cannot silently change a flow.
 */
export const record = <Shape extends z.ZodRawShape>(shape: Shape, owner: string) =>
  z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `is not a field of ${owner}` : unlessMissing('must be an object')(issue)),
  });

/**
 * The JSON Schema of each step type and of the settings, generated from the zod schemas that
 * validation parses with, so that what the API documents and the console's forms offer cannot
 * drift from what is accepted. OpenAPI 3.0 flavoured (an `enum` for a fixed value, no `$schema`),
 * so that the same objects serve `GET /step-types` and the OpenAPI document; the step-target
 * fields carry `format: "step-id"`. Cross-field and cross-step rules (options only for a choice
 * question, unknown targets, loops) are not expressible here: the server reports them on publish.
 */
import { z } from 'zod';
import { STEP_SCHEMAS, STEP_TYPES, stepSchema, workflowSettingsSchema, type StepType } from './step.schema.js';

export type JsonSchema = { [keyword: string]: unknown };

export interface StepTypeDescription {
  type: StepType;
  title: string;
  description: string;
  /** The step object as a caller sends it. */
  schema: JsonSchema;
}

export interface StepTypeCatalog {
  /** In the order of STEP_TYPES. */
  items: StepTypeDescription[];
  settings: JsonSchema;
}

const toJsonSchema = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'throw' });

const describeStepType = (type: StepType): StepTypeDescription => {
  const schema = STEP_SCHEMAS[type];
  const { title, description } = schema.meta() as { title: string; description: string };
  return { type, title, description, schema: toJsonSchema(schema) };
};

/** Generated once: the schemas are fixed for the life of the process. */
let catalog: StepTypeCatalog | undefined;

export const stepTypeCatalog = (): StepTypeCatalog =>
  (catalog ??= { items: STEP_TYPES.map(describeStepType), settings: toJsonSchema(workflowSettingsSchema) });

/** Any step: a `oneOf` of the step types' schemas, each told apart by its `type`. */
export const stepJsonSchema = (): JsonSchema => toJsonSchema(stepSchema);

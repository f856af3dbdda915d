import type { Schemas } from '../api/api-client.js';
import { isJsonObject } from './workflow-definition.js';

/**
 * The JSON Schema keywords the editor's forms read. `GET /step-types` serves each step type's JSON
 * Schema, produced from the schema the server validates with, so the forms cannot drift from the
 * rules; the document types these as JSON Schema objects, whose keywords are JSON Schema's own.
 */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** `step-id` marks a field that names a step. */
  format?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  /** Not JSON Schema: the title of the variant each value of a discriminator picks (`gt` → "Greater than"). */
  enumTitles?: Record<string, string>;
}

/** A step type as `GET /step-types` lists it, its schema read as the forms read it. */
export type StepTypeInfo = Omit<Schemas['StepTypeDto'], 'schema'> & { schema: JsonSchema };

/** `GET /step-types` (Schemas['StepTypeCatalogDto']) as the forms read it. */
export interface StepTypes {
  items: StepTypeInfo[];
  settings: JsonSchema;
}

export const typesOf = (schema: JsonSchema): string[] =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];

export const choicesOf = (schema: JsonSchema): unknown[] | undefined =>
  schema.enum ?? (schema.const === undefined ? undefined : [schema.const]);

/** Several variants of one field (`op: 'exists'` in one, `op: 'gt' | 'lt'` in another) as one. */
const mergeField = (a: JsonSchema, b: JsonSchema): JsonSchema => {
  const choicesA = choicesOf(a);
  const choicesB = choicesOf(b);
  if (choicesA && choicesB) {
    const { const: _a, ...rest } = a;
    return { ...rest, enum: [...new Set([...choicesA, ...choicesB])] };
  }
  const types = [...new Set([...typesOf(a), ...typesOf(b)])];
  return { ...b, ...a, type: types.length === 1 ? types[0] : types };
};

/**
 * A union as one form: variants that are objects become one object with every field (required
 * where all variants require it); `X | null` becomes X; primitive unions become a list of types.
 */
export const flattenSchema = (schema: JsonSchema, value?: unknown): JsonSchema => {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants === undefined) return schema;
  const { anyOf: _anyOf, oneOf: _oneOf, ...own } = schema;
  const flat = variants.map((variant) => flattenSchema(variant)).filter((variant) => !(variant.type === 'null'));
  if (flat.length === 1) return { ...flat[0], ...own };
  if (flat.every((variant) => typesOf(variant).includes('object'))) {
    const properties: Record<string, JsonSchema> = {};
    for (const variant of flat) {
      for (const [name, field] of Object.entries(variant.properties ?? {})) {
        properties[name] = properties[name] === undefined ? flattenSchema(field) : mergeField(properties[name], flattenSchema(field));
      }
    }
    // A field with one fixed value in each variant tells the variants apart: its values read as their titles.
    let chosen: JsonSchema | undefined;
    for (const [name, field] of Object.entries(properties)) {
      const picks = flat.map((variant) => choicesOf(variant.properties?.[name] ?? {}));
      if (field.enum && flat.every((variant, index) => variant.title !== undefined && picks[index]?.length === 1)) {
        properties[name] = {
          ...field,
          enumTitles: Object.fromEntries(flat.map((variant, index) => [String(picks[index]![0]), variant.title!])),
        };
        const picked = isJsonObject(value) ? flat.find((_, index) => picks[index]![0] === value[name]) : undefined;
        chosen ??= picked;
      }
    }
    // The other fields as the variant the value picked has them: `value` is a number for `gt`, text for `equals`.
    for (const [name, field] of Object.entries(chosen?.properties ?? {})) {
      if (properties[name].enumTitles === undefined) properties[name] = flattenSchema(field);
    }
    // Required as the variant the value picked requires (`value` with `equals`, not with `exists`), else as every variant does.
    const required = Object.keys(properties).filter((name) =>
      chosen ? chosen.required?.includes(name) : flat.every((variant) => variant.required?.includes(name)),
    );
    return { ...own, type: 'object', properties, required };
  }
  return flat.reduce(mergeField);
};

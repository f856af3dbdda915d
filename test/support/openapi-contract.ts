import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { STEP_ID_FORMAT, STEP_ID_PATTERN } from '#domain';

type Json = Record<string, unknown>;

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

interface PathMatcher {
  template: string;
  pattern: RegExp;
  parameters: number;
  operations: Record<string, Operation>;
}

const DOCUMENT_ID = 'openapi';
const JSON_TYPE = 'application/json';

/**
 * OpenAPI 3.0 schemas in the JSON Schema that Ajv reads: `nullable` becomes a null alternative,
 * references point into the document, and an object lists every property it may have — a field
 * the document does not declare is drift too.
 */
const jsonSchemaOf = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(jsonSchemaOf);
  if (typeof schema !== 'object' || schema === null) return schema;
  const converted: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string') converted.$ref = value.replace(/^#\//, `${DOCUMENT_ID}#/`);
    else if (key !== 'nullable' && key !== 'example' && key !== 'examples') converted[key] = jsonSchemaOf(value);
  }
  if (converted.properties !== undefined && converted.additionalProperties === undefined && converted.type === 'object') {
    converted.additionalProperties = false;
  }
  if ((schema as Json).nullable === true) return { anyOf: [converted, { type: 'null' }] };
  return converted;
};

/** The media type without its parameters: `application/json; charset=utf-8` → `application/json`. */
const mediaTypeOf = (contentType: string | null): string | undefined => contentType?.split(';')[0].trim().toLowerCase() || undefined;

/**
 * Holds HTTP answers to an OpenAPI document: the operation is found by method and path (a literal
 * path wins over a templated one), its declared response for the status (or `4XX`/`default`) must
 * exist, declare the answer's media type, and — for JSON — admit the body.
 */
export class OpenApiContract {
  private readonly paths: PathMatcher[];
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<Json, ValidateFunction>();

  constructor(document: Json) {
    addFormats.default(this.ajv);
    // The step schema names the fields that go to a step (steps are validated as a whole on publish).
    this.ajv.addFormat(STEP_ID_FORMAT, STEP_ID_PATTERN);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: jsonSchemaOf(document.components ?? {}) });
    this.paths = Object.entries(document.paths as Record<string, Record<string, Operation>>)
      .map(([template, operations]) => ({
        template,
        operations,
        parameters: (template.match(/\{[^}]+\}/g) ?? []).length,
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
      }))
      .sort((a, b) => a.parameters - b.parameters);
  }

  static fromFile(file = 'docs/openapi.json'): OpenApiContract {
    return new OpenApiContract(JSON.parse(readFileSync(resolve(file), 'utf8')) as Json);
  }

  /**
   * What is wrong with an answer, in words, or an empty list. A path no operation matches is
   * not the document's to judge (the router's 404 for an unknown route).
   */
  problemsOf(answer: { method: string; path: string; status: number; contentType: string | null; body: unknown }): string[] {
    const pathname = new URL(answer.path, 'http://server').pathname;
    const matched = this.paths.find(({ pattern }) => pattern.test(pathname));
    const method = answer.method.toLowerCase();
    const operation = matched?.operations[method];
    if (matched === undefined || operation === undefined) return [];
    const what = `${answer.method.toUpperCase()} ${matched.template} answered ${answer.status}`;
    const declared =
      operation.responses[String(answer.status)] ?? operation.responses[`${String(answer.status)[0]}XX`] ?? operation.responses.default;
    if (declared === undefined) return [`${what}, a status the document does not declare for it`];
    const mediaType = mediaTypeOf(answer.contentType);
    if (declared.content === undefined) return mediaType === undefined ? [] : [`${what} with ${mediaType}, but declares no content`];
    if (mediaType === undefined || !(mediaType in declared.content)) {
      return [`${what} with ${mediaType ?? 'no content type'}, but declares ${Object.keys(declared.content).join(', ')}`];
    }
    const schema = declared.content[mediaType].schema;
    if (mediaType !== JSON_TYPE || schema === undefined) return [];
    const validate = this.validatorFor(schema);
    if (validate(answer.body)) return [];
    return (validate.errors ?? []).map((error) => `${what}: body${error.instancePath} ${error.message ?? 'is invalid'}`);
  }

  private validatorFor(schema: Json): ValidateFunction {
    let validate = this.validators.get(schema);
    if (validate === undefined) {
      validate = this.ajv.compile(jsonSchemaOf(schema) as Json);
      this.validators.set(schema, validate);
    }
    return validate;
  }
}

let shared: OpenApiContract | undefined;
/** The committed document (equal to what the server serves: test/openapi-document.e2e-spec.ts), read once. */
export const servedContract = (): OpenApiContract => (shared ??= OpenApiContract.fromFile());

import { quotedInput } from '#domain';
import { BSON } from 'mongodb';
import type { ReadModelDocument } from './read-model-store.port.js';

/**
 * MongoDB's limit on one stored document, as BSON. The SQLite store holds to it too, measured the
 * same way, so that both stores refuse the same documents.
 */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** A document no store can hold as it is: a projection defect, which stops its unit of work. */
export class DocumentRefusedError extends Error {
  constructor(
    readonly collection: string,
    readonly documentId: string,
    readonly reason: string,
  ) {
    super(`Document ${JSON.stringify(quotedInput(documentId))} of collection "${collection}" cannot be stored: ${reason}`);
    this.name = 'DocumentRefusedError';
  }
}

/**
 * A document as every store holds it: its JSON text (what SQLite stores), its id and workspace, the
 * plain value that text reads as (what MongoDB stores) and its size as BSON. The value and the size
 * are worked out when first asked for: SQLite needs neither.
 */
export interface NormalisedDocument {
  readonly id: string;
  readonly workspace: string;
  readonly json: string;
  readonly document: ReadModelDocument;
  readonly bsonBytes: number;
}

/** A lone half of a surrogate pair: UTF-8, and so BSON, has no encoding for it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * What JSON.stringify writes for anything normaliseValue changes or refuses: the escape of a lone
 * surrogate or of NUL, or a quote followed by $. JSON text without any of them needs no walk.
 */
const MAY_NEED_NORMALISING = /\\u[dD][89a-fA-F]|\\u0000|"\$/;

/**
 * BSON takes fewer than 9 bytes for each UTF-16 unit of a document's JSON text (the worst case is
 * small numbers in an array: the 2 units of "0," become a type byte, a key of up to 7 digits, its
 * NUL and 4 bytes; a character of text takes at most 3 bytes of UTF-8). Up to this length, a third
 * of that bound, a document is surely within the limit and its size need not be measured at once.
 */
const MAX_JSON_LENGTH_SURELY_WITHIN_LIMIT = Math.floor(MAX_DOCUMENT_BYTES / 27);

/**
 * False when the JSON text of an object surely holds no object or array inside it: no bracket after
 * its opening brace (a bracket inside a text makes it answer true, which only costs a closer look).
 */
export const mayNestValues = (json: string): boolean => json.indexOf('{', 1) !== -1 || json.indexOf('[') !== -1;

const wellFormed = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD');

const fieldPath = (path: readonly (string | number)[]): string =>
  path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');

/** JSON.stringify's own failures, found again with the field they are in. */
function jsonText(collection: string, document: ReadModelDocument): string {
  try {
    return JSON.stringify(document);
  } catch (error) {
    const bigint = (key: string, value: unknown): unknown => {
      if (typeof value === 'bigint') {
        throw new DocumentRefusedError(collection, document.id, `the field ${key} holds a BigInt, which JSON has no number for`);
      }
      return value;
    };
    try {
      JSON.stringify(document, bigint);
    } catch (refusal) {
      if (refusal instanceof DocumentRefusedError) throw refusal;
    }
    throw new DocumentRefusedError(collection, document.id, (error as Error).message);
  }
}

/**
 * Refuses the field names MongoDB reads as something else or cannot store, and makes every text
 * well formed, as BSON's UTF-8 would: in place, on a value fresh from JSON.parse. True if a text changed.
 */
function normaliseValue(value: unknown, path: (string | number)[], refuse: (reason: string) => never): boolean {
  if (Array.isArray(value)) {
    let changed = false;
    value.forEach((item: unknown, index) => {
      path.push(index);
      if (typeof item === 'string') {
        const text = wellFormed(item);
        if (text !== item) [value[index], changed] = [text, true];
      } else if (normaliseValue(item, path, refuse)) changed = true;
      path.pop();
    });
    return changed;
  }
  if (value === null || typeof value !== 'object') return false;
  const fields = value as Record<string, unknown>;
  let changed = false;
  for (const key of Object.keys(fields)) {
    path.push(key);
    // `$` starts an operator, `$ref`/`$id` a DBRef the driver hands back as an object of its own.
    if (key.startsWith('$')) refuse(`the field name ${fieldPath(path)} starts with $, which MongoDB reads as an operator`);
    if (key.includes('\u0000')) refuse(`the field name ${JSON.stringify(fieldPath(path))} holds a NUL character`);
    let field = fields[key];
    if (typeof field === 'string') {
      const text = wellFormed(field);
      if (text !== field) [field, changed] = [text, true];
    } else if (normaliseValue(field, path, refuse)) changed = true;
    const name = wellFormed(key);
    if (name !== key) {
      delete fields[key];
      changed = true;
    }
    fields[name] = field;
    path.pop();
  }
  return changed;
}

/**
 * The document as both stores keep it: what JSON makes of it (a Date becomes its ISO text,
 * undefined fields go, NaN and Infinity become null), with lone surrogates replaced as UTF-8
 * replaces them. Refused, with `DocumentRefusedError` naming the document and why: an id or
 * workspace that is not a string, a field of its own named `_id`, a BigInt, a cycle, a field name
 * starting with `$` or holding NUL at any depth, or more than `MAX_DOCUMENT_BYTES` as BSON.
 */
export function normalisedDocument(collection: string, document: ReadModelDocument): NormalisedDocument {
  const id: unknown = document.id;
  if (typeof id !== 'string') throw new DocumentRefusedError(collection, String(id), 'its id is not a string');
  const refuse = (reason: string): never => {
    throw new DocumentRefusedError(collection, id, reason);
  };
  if (typeof document.workspace !== 'string') refuse('its workspace is not a string');
  if ('_id' in document) refuse('the field name _id is reserved for the document id');

  const json = jsonText(collection, document);
  // Without any text that normalising changes or refuses, the text is the normal form as it is,
  // and the id and workspace are the strings checked above.
  if (!MAY_NEED_NORMALISING.test(json)) return normalForm(collection, id, document.workspace, json);
  const normalised = JSON.parse(json) as ReadModelDocument;
  if (!normaliseValue(normalised, [], refuse)) return normalForm(collection, id, normalised.workspace, json, normalised);
  if (normalised.id !== id) refuse('its id is not well-formed text (a lone surrogate)');
  return normalForm(collection, normalised.id, normalised.workspace, JSON.stringify(normalised), normalised);
}

/** A normal form whose value is parsed from its text when first asked for, and whose size is measured then. */
class NormalForm implements NormalisedDocument {
  private measuredBytes: number | undefined;

  constructor(
    readonly id: string,
    readonly workspace: string,
    readonly json: string,
    private parsed?: ReadModelDocument,
  ) {}

  get document(): ReadModelDocument {
    return (this.parsed ??= JSON.parse(this.json) as ReadModelDocument);
  }

  get bsonBytes(): number {
    if (this.measuredBytes === undefined) {
      const { id: _id, ...fields } = this.document;
      this.measuredBytes = BSON.calculateObjectSize({ _id, ...fields });
    }
    return this.measuredBytes;
  }
}

function normalForm(collection: string, id: string, workspace: string, json: string, parsed?: ReadModelDocument): NormalisedDocument {
  const normalised = new NormalForm(id, workspace, json, parsed);
  // Small documents are surely within the limit; only MongoDB needs the size of those.
  if (json.length > MAX_JSON_LENGTH_SURELY_WITHIN_LIMIT && normalised.bsonBytes > MAX_DOCUMENT_BYTES) {
    throw new DocumentRefusedError(
      collection,
      id,
      `it is ${normalised.bsonBytes} bytes as BSON, more than the ${MAX_DOCUMENT_BYTES} bytes (16 MiB) MongoDB stores in one document`,
    );
  }
  return normalised;
}

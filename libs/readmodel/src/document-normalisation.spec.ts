import { BSON } from 'mongodb';
import { DocumentRefusedError, MAX_DOCUMENT_BYTES, mayNestValues, normalisedDocument } from './document-normalisation.js';
import type { ReadModelDocument } from './read-model-store.port.js';

const refusal = (document: ReadModelDocument): DocumentRefusedError => {
  try {
    normalisedDocument('cards', document);
  } catch (error) {
    if (error instanceof DocumentRefusedError) return error;
    throw error;
  }
  throw new Error('Expected the document to be refused');
};

describe('normalisedDocument', () => {
  it('keeps a JSON document as it is, with its text and its size as MongoDB stores it', () => {
    const document = { id: 'a', workspace: 'w', steps: [{ id: 's', options: [1, 2.5, true, null] }], empty: {} };

    const normalised = normalisedDocument('cards', document);

    expect(normalised.document).toEqual(document);
    expect(normalised.document).not.toBe(document);
    expect(normalised.json).toBe(JSON.stringify(document));
    const { id, ...fields } = document;
    expect(normalised.bsonBytes).toBe(BSON.calculateObjectSize({ _id: id, ...fields }));
  });

  it('gives the id and workspace it stores, well-formed, and a value read from its text, not from the document put', () => {
    const document = { id: 'a', workspace: 'w\uD800', text: 'before' };

    const normalised = normalisedDocument('cards', document);
    document.text = 'after';

    expect(normalised).toMatchObject({ id: 'a', workspace: 'w\uFFFD' });
    expect(normalised.document).toEqual({ id: 'a', workspace: 'w\uFFFD', text: 'before' });
    expect(normalisedDocument('cards', { id: 'b', workspace: 'w' })).toMatchObject({
      id: 'b',
      workspace: 'w',
      json: '{"id":"b","workspace":"w"}',
    });
  });

  it('tells a text that may hold a nested object or array from one that surely holds none', () => {
    expect(mayNestValues(normalisedDocument('cards', { id: 'a', workspace: 'w', n: 1, at: new Date(0), no: null }).json)).toBe(false);
    for (const nested of [{ list: [] }, { object: {} }, { deep: { list: [1] } }, { text: 'a [bracket] in a text' }]) {
      expect(mayNestValues(normalisedDocument('cards', { id: 'a', workspace: 'w', ...nested }).json)).toBe(true);
    }
  });

  it('makes of dates, undefined and numbers JSON cannot write what JSON makes of them, at any depth', () => {
    const at = new Date('2024-05-06T07:08:09.010Z');
    const document = {
      id: 'a',
      workspace: 'w',
      at,
      nested: { at, gone: undefined, list: [at, undefined, Number.NaN, Number.POSITIVE_INFINITY, -0] },
      negativeZero: -0,
    };

    const { document: normalised, json } = normalisedDocument('cards', document);

    expect(normalised).toEqual({
      id: 'a',
      workspace: 'w',
      at: '2024-05-06T07:08:09.010Z',
      nested: { at: '2024-05-06T07:08:09.010Z', list: ['2024-05-06T07:08:09.010Z', null, null, null, 0] },
      negativeZero: 0,
    });
    expect(Object.is(normalised.negativeZero, 0)).toBe(true);
    expect(JSON.parse(json)).toEqual(normalised);
  });

  it('replaces lone surrogates in texts and field names as UTF-8 does, leaving pairs alone', () => {
    const { document, json } = normalisedDocument('cards', {
      id: 'a',
      workspace: 'w',
      text: 'half \uD83D of a pair, a whole 😀',
      list: ['\uDC00'],
      ['\uD800key']: 1,
    });

    expect(document).toEqual({ id: 'a', workspace: 'w', text: 'half \uFFFD of a pair, a whole 😀', list: ['\uFFFD'], '\uFFFDkey': 1 });
    expect(JSON.parse(json)).toEqual(document);
    const { id, ...fields } = document;
    expect(BSON.deserialize(BSON.serialize({ _id: id, ...fields }))).toEqual({ _id: id, ...fields });
  });

  it.each([
    { case: 'a BigInt', document: { id: 'a', workspace: 'w', count: 12n }, reason: /field count holds a BigInt/ },
    { case: 'a BigInt deep down', document: { id: 'a', workspace: 'w', list: [{ n: 1n }] }, reason: /field n holds a BigInt/ },
    { case: 'a first field starting with $', document: { $set: { x: 1 }, id: 'a', workspace: 'w' }, reason: /\$set starts with \$/ },
    { case: 'a DBRef', document: { id: 'a', workspace: 'w', link: { $ref: 'x', $id: 1 } }, reason: /link\.\$ref starts with \$/ },
    { case: 'a $ field in an array', document: { id: 'a', workspace: 'w', steps: [{ $where: '1' }] }, reason: /steps\[0\]\.\$where/ },
    { case: 'a NUL in a field name', document: { id: 'a', workspace: 'w', 'a\u0000b': 1 }, reason: /holds a NUL character/ },
    { case: 'a field named _id', document: { id: 'a', workspace: 'w', _id: 'b' }, reason: /_id is reserved/ },
    { case: 'a workspace that is no string', document: { id: 'a', workspace: 7 } as unknown as ReadModelDocument, reason: /workspace/ },
    { case: 'an id with a lone surrogate', document: { id: 'a\uD800', workspace: 'w' }, reason: /lone surrogate/ },
  ])('refuses $case, naming the document and why', ({ document, reason }) => {
    const error = refusal(document);

    expect(error).toMatchObject({ collection: 'cards', documentId: document.id });
    expect(error.message).toMatch(/^Document "a.*" of collection "cards" cannot be stored: /);
    expect(error.message).toMatch(reason);
  });

  it('refuses an id that is no string', () => {
    expect(refusal({ id: 42, workspace: 'w' } as unknown as ReadModelDocument).message).toMatch(/"42" .* its id is not a string/);
  });

  it('refuses a document that refers to itself', () => {
    const document: ReadModelDocument = { id: 'a', workspace: 'w' };
    document.self = document;

    expect(refusal(document).message).toMatch(/circular/);
  });

  it('holds a document of exactly 16 MiB as BSON and refuses one byte more, naming its size and the limit', () => {
    const base = BSON.calculateObjectSize({ _id: 'a', workspace: 'w', text: '' });
    const exactly = { id: 'a', workspace: 'w', text: 'x'.repeat(MAX_DOCUMENT_BYTES - base) };

    expect(normalisedDocument('cards', exactly).bsonBytes).toBe(MAX_DOCUMENT_BYTES);
    expect(refusal({ ...exactly, text: `${exactly.text}x` }).message).toMatch(
      new RegExp(`${MAX_DOCUMENT_BYTES + 1} bytes as BSON, more than the ${MAX_DOCUMENT_BYTES} bytes \\(16 MiB\\)`),
    );
  });

  it('measures the size as BSON, not as JSON: an array of small numbers takes several times its text', () => {
    const { json, bsonBytes } = normalisedDocument('cards', { id: 'a', workspace: 'w', numbers: Array.from({ length: 100_000 }, () => 0) });

    expect(bsonBytes).toBeGreaterThan(4 * Buffer.byteLength(json));
  });

  it('quotes a long id only up to a length', () => {
    const id = `a${'b'.repeat(500)}`;

    expect(refusal({ id, workspace: 'w', count: 1n }).message.length).toBeLessThan(200);
  });
});

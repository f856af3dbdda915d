import fc from 'fast-check';
import { MAX_QUOTED_LENGTH } from '#domain';

/**
 * Generators of what an attacker or a broken client sends: wrong types, missing and unknown
 * fields, huge and awkward strings, deep nesting, prototype keys, odd number literals, bodies
 * that are not JSON or not UTF-8, odd content types, and near-valid bodies that get past the
 * first checks. Bodies are JSON trees written out by `jsonText`, so that the text can hold what
 * JSON.stringify cannot write (`-0`, `1e309`, duplicate keys, `__proto__` as a plain key).
 */

/** A number as it is written in the JSON text. */
export class NumberLiteral {
  constructor(readonly text: string) {}
}

/** An object written field by field: keys may repeat and may be `__proto__`. */
export class JsonFields {
  constructor(readonly fields: readonly (readonly [string, unknown])[]) {}
}

export const jsonText = (value: unknown): string => {
  if (value instanceof NumberLiteral) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value instanceof JsonFields) return `{${value.fields.map(([key, field]) => `${JSON.stringify(key)}:${jsonText(field)}`).join(',')}}`;
  if (typeof value === 'object' && value !== null) return jsonText(new JsonFields(Object.entries(value)));
  return JSON.stringify(value) ?? 'null';
};

/** Every string in a JSON tree, keys included: what an error message must not repeat at length. */
export const stringsIn = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value instanceof JsonFields) return value.fields.flatMap(([key, field]) => [key, ...stringsIn(field)]);
  if (typeof value === 'object' && value !== null && !(value instanceof NumberLiteral))
    return stringsIn(new JsonFields(Object.entries(value)));
  return [];
};

const codeUnit = (min: number, max: number) => fc.integer({ min, max }).map((unit) => String.fromCharCode(unit));

/** C0 and C1 controls, lone surrogates of both halves, and the invisible characters that fool people and parsers. */
const awkwardCharacter = fc.oneof(
  codeUnit(0x00, 0x1f),
  codeUnit(0x7f, 0x9f),
  codeUnit(0xd800, 0xdbff),
  codeUnit(0xdc00, 0xdfff),
  fc.constantFrom('\ufeff', '\u202e', '\u200b', '\u2028', '\u2029', '\ufffe', '\uffff', '\u0301'),
);

const TRICKY_STRINGS = [
  '',
  ' ',
  '\t\r\n',
  '\u0000',
  '__proto__',
  'constructor',
  'NaN',
  '-0',
  '1e308',
  'Infinity',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '{{contact.name}}',
  '{{',
  '}}{{',
  '<script>alert(1)</script>',
  "'; DROP TABLE events; --",
  '../../../etc/passwd',
  '%00',
  '%s%s%s%n',
  '${7*7}',
  '00000000-0000-0000-0000-000000000000',
];

/** Longer than an error message may quote: a string this long that comes back whole was echoed. */
const QUOTABLE_PLUS_ONE = MAX_QUOTED_LENGTH + 1;

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.oneof(awkwardCharacter, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), minLength: 1 }),
  fc.string({ unit: 'grapheme', minLength: QUOTABLE_PLUS_ONE, maxLength: 300 }),
  // Beyond every length limit, still below the body limit.
  fc.integer({ min: 4_000, max: 200_000 }).map((length) => 'x'.repeat(length)),
  fc.constantFrom(...TRICKY_STRINGS),
);

/** Numbers at the edges, as JSON text writes them (1e309 parses as Infinity, 1e-400 as 0). */
const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -1, 0),
  fc
    .constantFrom('-0', '1e309', '-1e309', '1e-400', '123456789012345678901234567890', '1.0', '0.1e1', '1E2', '-0.0')
    .map((text) => new NumberLiteral(text)),
);

/** Names that look like fields of the DTOs, so unknown and repeated keys meet real ones. */
const FIELD_NAMES = ['name', 'type', 'config', 'steps', 'settings', 'text', 'contactId', 'messageIds', 'id', 'workspace', 'position'];
const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype') },
  { weight: 3, arbitrary: fc.constantFrom(...FIELD_NAMES) },
  { weight: 4, arbitrary: hostileString },
);

const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(fc.constant(null), fc.boolean(), hostileNumber, hostileString);

/** Any JSON value, nested a little, with hostile leaves and keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; array: unknown[]; object: JsonFields }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, hostileLeaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 }).map((fields) => new JsonFields(fields)),
})).value;

const ABSENT = Symbol('absent');

/** For a field of nearValid that a valid body mostly leaves out: `valid` now and then, else absent. */
export const sometimes = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(ABSENT) }, { weight: 1, arbitrary: valid });

/**
 * An object with each of `fields` valid (mostly), hostile or missing, and sometimes fields it
 * does not have: validation is exercised past its first check, and some bodies are accepted.
 * `hostility` 0 keeps every field valid and present (for parts of a larger body that is mutated
 * elsewhere): a body of many parts would otherwise hardly ever be valid as a whole.
 */
export const nearValid = (fields: Record<string, fc.Arbitrary<unknown>>, hostility = 2): fc.Arbitrary<JsonFields> => {
  const field = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
    hostility === 0
      ? valid
      : fc.oneof(
          { weight: 10, arbitrary: valid },
          { weight: hostility, arbitrary: hostileValue },
          { weight: 1, arbitrary: fc.constant<typeof ABSENT>(ABSENT) },
        );
  const extra =
    hostility === 0
      ? fc.constant([])
      : fc.oneof(
          { weight: 8, arbitrary: fc.constant([]) },
          { weight: 1, arbitrary: fc.array(fc.tuple(hostileKey, hostileValue), { minLength: 1, maxLength: 2 }) },
        );
  return fc
    .tuple(fc.tuple(...Object.entries(fields).map(([name, valid]) => field(valid).map((value) => [name, value] as const))), extra)
    .map(([known, unknown]) => new JsonFields([...known.filter(([, value]) => value !== ABSENT), ...unknown]));
};

/** What a request carries as its body. */
export interface HostileBody {
  bytes: string | Uint8Array | undefined;
  contentType: string | undefined;
  /** The strings the body holds (or the text itself): none of the long ones may come back in an error. */
  strings: string[];
}

const JSON_TYPE = 'application/json';
const headerText = (minLength: number, maxLength: number) => fc.string({ unit: codeUnit(0x20, 0x7e), minLength, maxLength });

/** Content types a JSON API must tell apart: JSON in other charsets and spellings, forms, text, none. */
export const oddContentType: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'application/json;charset=UTF-8',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/json; charset=bogus',
    'application/json; charset=',
    'application/json, text/plain',
    'application/jsonx',
    'application/vnd.api+json',
    'application/merge-patch+json',
    'text/plain',
    'text/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    '*/*',
    ';',
    '',
  ),
  headerText(1, 60),
  headerText(QUOTABLE_PLUS_ONE, 200).map((tail) => `application/${tail}`),
);

/** Texts that are not the JSON they seem, or are JSON built to hurt a parser or a validator. */
const hostileJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 30, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.integer({ min: 30, max: 5_000 }).map((depth) => '{"name":'.repeat(depth) + '"x"' + '}'.repeat(depth)),
  fc.integer({ min: 1, max: 100_000 }).map((depth) => '['.repeat(depth)),
  fc.constantFrom(
    '',
    ' ',
    '{',
    'null',
    'true',
    '0',
    '"text"',
    '[]',
    'NaN',
    'undefined',
    "{'name':'single quotes'}",
    '{"name":"trailing comma",}',
    '{"name":"x"} trailing',
    '\ufeff{"name":"after a byte order mark"}',
    '{"__proto__":{"role":"admin"},"name":"polluted"}',
    '{"constructor":{"prototype":{"role":"admin"}},"name":"polluted"}',
    '{"name":"first","name":"second"}',
    '{"name":"\\ud800"}',
    '{"name":"\\u0000"}',
    '{"name":1e309}',
    '{"steps":[],"steps":{}}',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** Bytes that are not UTF-8 (or are UTF-8 of something else than they claim). */
const hostileBytes: fc.Arbitrary<{ bytes: Uint8Array; contentType: string }> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => ({ bytes, contentType: JSON_TYPE })),
  fc
    .constantFrom('{"name":"\xff\xfe"}', '{"name":"caf\xe9"}')
    .map((text) => ({ bytes: Buffer.from(text, 'latin1'), contentType: JSON_TYPE })),
  fc.constant({ bytes: Buffer.from('{"name":"utf-16 text"}', 'utf16le'), contentType: 'application/json; charset=utf-16' }),
  fc.constant({ bytes: Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"name":"bom"}')]), contentType: JSON_TYPE }),
);

const BODY_LIMIT_BYTES = 1024 * 1024;

/** `valid` (near-valid, mostly) as JSON, else one of the hostile bodies above; `valid` bodies sometimes under an odd content type. */
export const hostileBody = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<HostileBody> =>
  fc.oneof(
    {
      weight: 12,
      arbitrary: fc
        .tuple(valid, fc.oneof({ weight: 12, arbitrary: fc.constant(JSON_TYPE) }, { weight: 1, arbitrary: oddContentType }))
        .map(([value, contentType]) => ({ bytes: jsonText(value), contentType, strings: [...stringsIn(value), contentType] })),
    },
    {
      weight: 2,
      arbitrary: hostileValue.map((value) => ({ bytes: jsonText(value), contentType: JSON_TYPE, strings: stringsIn(value) })),
    },
    { weight: 1, arbitrary: hostileJsonText.map((text) => ({ bytes: text, contentType: JSON_TYPE, strings: [text] })) },
    { weight: 1, arbitrary: hostileBytes.map(({ bytes, contentType }) => ({ bytes, contentType, strings: [] })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<HostileBody>(
        { bytes: undefined, contentType: undefined, strings: [] },
        { bytes: undefined, contentType: JSON_TYPE, strings: [] },
        { bytes: '{"name":"no content type"}', contentType: undefined, strings: [] },
        { bytes: `{"name":"${'x'.repeat(BODY_LIMIT_BYTES)}"}`, contentType: JSON_TYPE, strings: [] },
      ),
    },
  );

/** No body at all (mostly), or something a route without a body must ignore or refuse. */
export const hostileEmptyBody: fc.Arbitrary<HostileBody> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<HostileBody>({ bytes: undefined, contentType: undefined, strings: [] }) },
  { weight: 1, arbitrary: hostileBody(hostileValue) },
);

/**
 * A path segment where an id goes: `main` (mostly), one of `others` (ids of the wrong kind of
 * resource), an id upper-cased, a random UUID, a fuzzed string (URL-encoded) or raw
 * percent-encodings that do not decode.
 */
export interface PathSegment {
  segment: string;
  /** What in it was fuzzed. */
  strings: string[];
}

/** Characters that stand in a path as they are, the slash among them. */
const pathCharacter = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/");

export const hostileId = (main: string, ...others: string[]): fc.Arbitrary<PathSegment> =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant<PathSegment>({ segment: main, strings: [] }) },
    { weight: 2, arbitrary: fc.constantFrom(main, ...others).map((id) => ({ segment: id, strings: [] })) },
    { weight: 1, arbitrary: fc.constantFrom(main, ...others).map((id) => ({ segment: id.toUpperCase(), strings: [] })) },
    { weight: 1, arbitrary: fc.uuid().map((id) => ({ segment: id, strings: [] })) },
    {
      weight: 2,
      // encodeURIComponent refuses lone surrogates: they stand as '?' here (the body generators send them).
      arbitrary: hostileString
        .map((text) => text.replace(/[\ud800-\udfff]/gu, '?'))
        .map((text) => ({ segment: encodeURIComponent(text), strings: [text] })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('%', '%zz', '%00', '%ff', '%c0%af', '%ed%a0%80', '%2F', '%252F', '..%2F..', '%20', '+', ';x=1', 'a%0Ab', 'a/b')
        .map((segment) => ({ segment, strings: [] })),
    },
    // Unencoded, slashes and all: the path matches no route.
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: pathCharacter, minLength: QUOTABLE_PLUS_ONE, maxLength: 300 })
        .map((text) => ({ segment: text, strings: [text] })),
    },
  );

/** A bearer value that is not a token the server issued: garbage, long, or a JWT's shape with nonsense in it. */
export const hostileBearer: fc.Arbitrary<string> = fc.oneof(
  headerText(0, 60),
  headerText(QUOTABLE_PLUS_ONE, 2_000),
  fc.tuple(headerText(1, 40), headerText(1, 40), headerText(1, 40)).map((parts) => parts.join('.')),
  fc.constantFrom('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.', 'null', 'undefined', 'Bearer'),
);

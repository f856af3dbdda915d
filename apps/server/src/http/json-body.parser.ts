import type { FastifyInstance, FastifyRequest } from 'fastify';
import { quotedInput } from '#domain';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's bytes as they arrived: webhook signatures are computed over them. */
    rawBody?: Buffer;
    /** Why the body could not be read: answered once the caller is authenticated (checkRequestBody). */
    bodyRefusal?: BodyError;
  }
}

export const MAX_JSON_DEPTH = 32;
/**
 * No body this API reads has an object with more members (a step has about a dozen): validation's
 * cost grows with the square of an object's members (100,000 took 8 s of the one event loop).
 */
export const MAX_OBJECT_MEMBERS = 256;
/** Keys that could reach object prototypes, and that class-transformer would silently drop. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Found while parsing, thrown after the guards; the status code travels with it to the error response. */
export class BodyError extends Error {
  constructor(
    message: string,
    readonly statusCode: 400 | 415,
  ) {
    super(message);
  }
}

/** Finds the first nesting, size or key problem, walking breadth-first so no input can exhaust the stack. */
const problemIn = (body: unknown): string | undefined => {
  let level: { value: unknown; path: string }[] = [{ value: body, path: 'body' }];
  for (let depth = 0; level.length > 0; depth += 1) {
    const next: typeof level = [];
    for (const { value, path } of level) {
      if (typeof value !== 'object' || value === null) continue;
      if (depth >= MAX_JSON_DEPTH) return `${path} nests deeper than ${MAX_JSON_DEPTH} levels`;
      const isArray = Array.isArray(value);
      const members = Object.entries(value);
      if (!isArray && members.length > MAX_OBJECT_MEMBERS) return `${path} has more than ${MAX_OBJECT_MEMBERS} properties`;
      for (const [key, child] of members) {
        if (FORBIDDEN_KEYS.has(key)) return `${path} has the forbidden property "${key}"`;
        next.push({ value: child, path: isArray ? `${path}[${key}]` : `${path}.${quotedInput(key)}` });
      }
    }
    level = next;
  }
  return undefined;
};

const UTF8_ONLY_MESSAGE = 'JSON bodies must be UTF-8: send application/json with no charset or with charset=utf-8';

/** Spellings of UTF-8's name that clients send (WHATWG's labels for it include "utf8"). */
const UTF8_NAMES = new Set(['utf-8', 'utf8']);
/** Refuses bytes that are not UTF-8 instead of turning them into U+FFFD unseen. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The content type's charset parameter, unquoted; undefined when it has none. */
const charsetOf = (contentType: string): string | undefined => {
  for (const parameter of contentType.split(';').slice(1)) {
    const [name, ...value] = parameter.split('=');
    if (name.trim().toLowerCase() === 'charset')
      return value
        .join('=')
        .trim()
        .replace(/^"(.*)"$/, '$1');
  }
  return undefined;
};

/**
 * A body that cannot be read is not refused here: the guards run after parsing, and a caller without
 * credentials is told that first (401), not what was wrong with what it sent.
 */
const refuse = (request: FastifyRequest, done: (error: null, body: undefined) => void, refusal: BodyError): void => {
  request.bodyRefusal = refusal;
  done(null, undefined);
};

/**
 * JSON is the only body this API reads; any other content type gets 415. Bodies are parsed here,
 * before validation, so that depth and prototype keys are refused with a 400 naming where they are.
 * JSON is UTF-8 (RFC 8259): a body declared in another charset would be read as something it is
 * not, so it is refused with 415 rather than guessed at.
 */
export const useJsonBodiesOnly = (fastify: FastifyInstance): void => {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, raw, done) => {
    // Kept whatever is wrong with the body: a webhook's signature is checked first, over these bytes.
    request.rawBody = raw as Buffer;
    const charset = charsetOf(String(request.headers['content-type']));
    if (charset !== undefined && !UTF8_NAMES.has(charset.toLowerCase())) {
      refuse(request, done, new BodyError(UTF8_ONLY_MESSAGE, 415));
      return;
    }
    let text: string;
    try {
      text = strictUtf8.decode(raw as Buffer);
    } catch {
      refuse(request, done, new BodyError('The body is not valid UTF-8', 400));
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      const message = text === '' ? 'The body is empty but the content type is JSON' : 'The body is not valid JSON';
      refuse(request, done, new BodyError(message, 400));
      return;
    }
    const problem = problemIn(body);
    if (problem) refuse(request, done, new BodyError(problem, 400));
    else done(null, body);
  });
  fastify.addContentTypeParser('*', (request, _payload, done) => {
    const header = request.headers['content-type'];
    const message =
      header === undefined
        ? 'The body has no content type: send application/json'
        : `Content type ${quotedInput(header.split(';')[0])} is not supported: send application/json`;
    refuse(request, done, new BodyError(message, 415));
  });
};

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import { useJsonBodiesOnly } from './json-body.parser.js';

describe('useJsonBodiesOnly', () => {
  let fastify: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    fastify = Fastify();
    useJsonBodiesOnly(fastify);
    // As the server's guards do once the caller is known (checkRequestBody).
    fastify.post('/echo', async (request) => {
      if (request.bodyRefusal) throw request.bodyRefusal;
      return { body: request.body };
    });
    // Over a socket: light-my-request (inject) loads an ES module that Jest cannot require.
    url = `${await fastify.listen({ port: 0, host: '127.0.0.1' })}/echo`;
  });
  afterAll(() => fastify.close());

  const post = async (contentType: string, body: string | Buffer = '{"text":"héllo"}') => {
    const answer = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { statusCode: answer.status, body: (await answer.json()) as Record<string, unknown> };
  };

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=UTF-8',
    'application/json;charset="utf-8"',
    'application/json; charset=utf8',
  ])('reads %s as UTF-8 JSON', async (contentType) => {
    const answer = await post(contentType);
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toEqual({ body: { text: 'héllo' } });
  });

  it.each([
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/json; charset=iso-8859-1',
    'application/json; charset=bogus',
    'application/json; charset=',
    'application/json; charset=""',
  ])('answers 415 naming the UTF-8 rule to %s', async (contentType) => {
    const answer = await post(contentType);
    expect(answer.statusCode).toBe(415);
    expect(answer.body).toMatchObject({
      statusCode: 415,
      message: 'JSON bodies must be UTF-8: send application/json with no charset or with charset=utf-8',
    });
  });

  it.each(['application/json-patch+json', 'application/merge-patch+json', 'application/jsonx', 'text/json', 'text/plain'])(
    'answers 415 to %s, which is not application/json',
    async (contentType) => {
      const answer = await post(contentType);
      expect(answer.statusCode).toBe(415);
      expect(answer.body.message).toContain('is not supported: send application/json');
    },
  );

  it('answers 415 to a body without a content type, saying so', async () => {
    const answer = await fetch(url, { method: 'POST', body: new Uint8Array(Buffer.from('{"text":"hi"}')) });
    expect(answer.status).toBe(415);
    expect(await answer.json()).toMatchObject({ statusCode: 415, message: 'The body has no content type: send application/json' });
  });

  it('answers 400 to bytes that are not UTF-8, rather than reading them as replacement characters', async () => {
    const answer = await post('application/json', Buffer.from('{"text":"héllo"}', 'latin1'));
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toMatchObject({ statusCode: 400, message: 'The body is not valid UTF-8' });
  });

  it('refuses an object of more than 256 members, at any depth, before validation sees it; arrays and 256 members are fine', async () => {
    const members = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, 0]));
    const refused = async (body: unknown) => (await post('application/json', JSON.stringify(body))).body;
    expect(await refused(members(257))).toMatchObject({ statusCode: 400, message: 'body has more than 256 properties' });
    expect(await refused({ steps: [{ id: 'a', options: members(50_000) }] })).toMatchObject({
      statusCode: 400,
      message: 'body.steps[0].options has more than 256 properties',
    });
    expect((await post('application/json', JSON.stringify({ ...members(255), list: Array(10_000).fill(0) }))).statusCode).toBe(200);
  });

  it('names a long content type or key only by its start, never repeating it whole', async () => {
    const subtype = 'x'.repeat(5000);
    expect((await post(`application/${subtype}`)).body.message).toBe(
      `Content type application/${'x'.repeat(51)}… is not supported: send application/json`,
    );
    const key = 'k'.repeat(5000);
    expect((await post('application/json', `{"${key}":{"__proto__":{}}}`)).body.message).toBe(
      `body.${'k'.repeat(63)}… has the forbidden property "__proto__"`,
    );
  });
});

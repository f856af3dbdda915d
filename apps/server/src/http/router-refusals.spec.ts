import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import { answerRouterRefusal } from './router-refusals.js';

describe('answerRouterRefusal', () => {
  let fastify: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    fastify = Fastify({ frameworkErrors: answerRouterRefusal });
    fastify.get('/workflows/:id', async (request) => request.params);
    // Over a socket: light-my-request (inject) loads an ES module that Jest cannot require.
    url = await fastify.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => fastify.close());

  const get = async (path: string) => {
    const answer = await fetch(`${url}${path}`);
    return {
      status: answer.status,
      type: answer.headers.get('content-type'),
      cache: answer.headers.get('cache-control'),
      sniff: answer.headers.get('x-content-type-options'),
      body: await answer.json(),
    };
  };

  it('answers a path that does not decode with 400 and the usual error body, not repeating the path', async () => {
    expect(await get(`/workflows/%zz${'x'.repeat(80)}`)).toEqual({
      status: 400,
      type: 'application/json; charset=utf-8',
      cache: 'no-store',
      sniff: 'nosniff',
      body: {
        statusCode: 400,
        message: 'The URL is not valid: its path has a percent-encoding that does not decode',
        error: 'Bad Request',
      },
    });
  });

  it('answers a path parameter over the length limit with 414, not repeating it', async () => {
    expect(await get(`/workflows/${'x'.repeat(101)}`)).toEqual({
      status: 414,
      type: 'application/json; charset=utf-8',
      cache: 'no-store',
      sniff: 'nosniff',
      body: { statusCode: 414, message: 'The URL is not valid: a part of its path is longer than any id', error: 'URI Too Long' },
    });
  });

  it('leaves the requests it does not refuse alone', async () => {
    expect(await get('/workflows/abc')).toMatchObject({ status: 200, body: { id: 'abc' } });
  });
});

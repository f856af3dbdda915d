import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serveConsole } from '../console/console-assets.js';
import type { LogLevel } from '#platform';
import { REQUEST_ID_HEADER, echoRequestIds, requestIdOf, requestLoggingOptions } from './request-logging.js';
import { createServerLogger } from './server-logger.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const started: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((fastify) => fastify.close()));
});

/** Fastify as the server sets it up, with a few routes, listening on loopback; its log lines are collected as parsed JSON. */
const serverLoggingTo = async (logLevel: LogLevel = 'log') => {
  const lines: string[] = [];
  const logger = await createServerLogger({ logLevel, logDestination: { write: (line: string) => lines.push(line) } });
  const fastify = Fastify(requestLoggingOptions(logger));
  echoRequestIds(fastify);
  fastify.post('/webchat/:channelId/messages', async (_request, reply) => reply.code(202).send({ messageId: 'm-1' }));
  fastify.get('/broken', async () => {
    throw new Error('the store went away');
  });
  // Answers in a hook added after echoRequestIds, as a rate limit answers 429.
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.headers['x-refuse'] !== undefined) await reply.code(429).send({ message: 'slow down' });
  });
  started.push(fastify);
  const baseUrl = await fastify.listen({ host: '127.0.0.1', port: 0 });
  lines.length = 0;
  const request = (method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}, body?: unknown) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return { request, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
};

describe('request logging', () => {
  it('writes one line per request: method, route pattern, status, duration and request id, and nothing of the URL', async () => {
    const { request, entries } = await serverLoggingTo();
    const response = await request(
      'POST',
      '/webchat/c-42/messages?hub.verify_token=verify-me-not',
      { authorization: 'Bearer secret-token', [REQUEST_ID_HEADER]: 'req-0001' },
      { contactId: 'visitor-7', text: 'my card number is 4111' },
    );
    expect(response.status).toBe(202);
    const requestLines = entries().filter((entry) => entry.route !== undefined);
    expect(requestLines).toEqual([
      {
        level: 'info',
        time: expect.any(String),
        pid: process.pid,
        hostname: expect.any(String),
        requestId: 'req-0001',
        method: 'POST',
        route: '/webchat/:channelId/messages',
        status: 202,
        durationMs: expect.any(Number),
        msg: 'POST /webchat/:channelId/messages 202',
      },
    ]);
    const logged = JSON.stringify(entries());
    for (const secret of ['c-42', 'verify-me-not', 'secret-token', 'visitor-7', '4111']) expect(logged).not.toContain(secret);
  });

  it('logs an unmatched request as no route, at error level a failed one, and nothing else about them', async () => {
    const { request, entries } = await serverLoggingTo('verbose');
    expect((await request('GET', '/admin/secret-path?token=abc123')).status).toBe(404);
    expect((await request('GET', '/broken')).status).toBe(500);
    const requestLines = entries().filter((entry) => 'status' in entry);
    expect(requestLines).toMatchObject([
      { level: 'info', method: 'GET', route: null, status: 404, msg: 'GET (no route) 404' },
      { level: 'error', method: 'GET', route: '/broken', status: 500, msg: 'GET /broken 500' },
    ]);
    expect(JSON.stringify(entries())).not.toMatch(/secret-path|abc123/);
  });

  it("logs the console's page as such, also on a path the API has a route for", async () => {
    const consoleDir = mkdtempSync(join(tmpdir(), 'console-page-'));
    try {
      writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>Console</title>');
      const lines: string[] = [];
      const logger = await createServerLogger({ logLevel: 'log', logDestination: { write: (line: string) => lines.push(line) } });
      const fastify = Fastify(requestLoggingOptions(logger));
      started.push(fastify);
      fastify.get('/workflows/:id', async () => ({ id: 'w-1' }));
      await serveConsole(fastify, consoleDir);
      const baseUrl = await fastify.listen({ host: '127.0.0.1', port: 0 });
      const page = { accept: 'text/html' };
      for (const [path, headers] of [
        ['/', page],
        ['/workflows/w-1', page],
        ['/workflows/w-1', {}],
      ] as const) {
        expect((await fetch(`${baseUrl}${path}`, { headers })).status).toBe(200);
      }
      const requestLines = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => 'status' in entry);
      expect(requestLines.map(({ route, msg }) => [route, msg])).toEqual([
        ['(console page)', 'GET (console page) 200'],
        ['(console page)', 'GET (console page) 200'],
        ['/workflows/:id', 'GET /workflows/:id 200'],
      ]);
    } finally {
      rmSync(consoleDir, { recursive: true, force: true });
    }
  });

  it('keeps a sane X-Request-Id, replaces any other with a new UUID, and answers every response with it', async () => {
    const { request, entries } = await serverLoggingTo();
    const idOf = async (headers: Record<string, string>, path = '/webchat/c/messages', method: 'GET' | 'POST' = 'POST') =>
      (await request(method, path, headers, method === 'POST' ? {} : undefined)).headers.get(REQUEST_ID_HEADER);
    expect(await idOf({ [REQUEST_ID_HEADER]: 'f3b1c2d4-0000-4000-8000-000000000001' })).toBe('f3b1c2d4-0000-4000-8000-000000000001');
    expect(await idOf({ [REQUEST_ID_HEADER]: 'edge:7_x.abc-1' })).toBe('edge:7_x.abc-1');
    for (const insane of ['', 'has space', 'a'.repeat(129), 'line\tbreak', 'ünïcode', '<script>', 'eyJ.a/b+c=']) {
      expect(await idOf({ [REQUEST_ID_HEADER]: insane })).toMatch(UUID);
    }
    expect(await idOf({})).toMatch(UUID);
    // Also on a 404, a 500, and a reply another hook sends.
    expect(await idOf({ [REQUEST_ID_HEADER]: 'on-404' }, '/nowhere', 'GET')).toBe('on-404');
    expect(await idOf({ [REQUEST_ID_HEADER]: 'on-500' }, '/broken', 'GET')).toBe('on-500');
    expect(await idOf({ [REQUEST_ID_HEADER]: 'on-429', 'x-refuse': '1' })).toBe('on-429');
    // The id answered is the one logged.
    const echoed = await idOf({ [REQUEST_ID_HEADER]: 'not sane' });
    expect(entries().at(-1)).toMatchObject({ requestId: echoed, status: 202 });
  });

  it('requestIdOf: two X-Request-Id headers (joined by a comma) are not one sane id', () => {
    expect(requestIdOf({ headers: { [REQUEST_ID_HEADER]: 'abc, def' } })).toMatch(UUID);
    expect(requestIdOf({ headers: { [REQUEST_ID_HEADER]: 'abc' } })).toBe('abc');
  });
});

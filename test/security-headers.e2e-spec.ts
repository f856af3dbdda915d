import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { flowOnWebchat, Visitor } from './support/conversations.js';
import { type InProcessServer, removeDir, startInProcessServer, temporaryDataDir } from './support/test-server.js';

const SHOP = 'https://shop.example';
const GREETING = [{ id: 'hello', type: 'send_message', text: 'Hello' }];
const PAGE = { accept: 'text/html,application/xhtml+xml' };

/** A console build of its own, so that what is checked does not depend on `npm run build`. */
const consoleBuild = (): string => {
  const dir = temporaryDataDir();
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>Workflows</title><script type="module" src="/assets/index-AbC123.js"></script>',
  );
  writeFileSync(join(dir, 'assets', 'index-AbC123.js'), 'console.log("console")');
  writeFileSync(join(dir, 'webchat.js'), 'console.log("embed")');
  return dir;
};

/** The policy's directives by name, e.g. `{ 'frame-ancestors': ["'self'"] }`. */
const directivesOf = (response: Response): Record<string, string[]> =>
  Object.fromEntries(
    (response.headers.get('content-security-policy') ?? '')
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name !== '')
      .map(([name, ...values]) => [name, values]),
  );

/** A server with a console build and a web chat channel with a flow; `allowed` sets WEBCHAT_ALLOWED_ORIGINS. */
const serverAllowing = (allowed?: readonly string[]) => {
  const suite = {} as { server: InProcessServer; url: string; channelId: string; consoleDir: string };
  beforeAll(async () => {
    suite.consoleDir = consoleBuild();
    suite.server = await startInProcessServer(undefined, undefined, {
      consoleDir: suite.consoleDir,
      ...(allowed === undefined ? {} : { webchatAllowedOrigins: allowed }),
    });
    suite.url = suite.server.api.baseUrl;
    ({ channelId: suite.channelId } = await flowOnWebchat(suite.server.api, GREETING));
  });
  afterAll(async () => {
    await suite.server.close();
    removeDir(suite.server.dataDir);
    removeDir(suite.consoleDir);
  });
  return suite;
};

const expectBaseHeaders = (response: Response) => {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000');
  expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
};

/** The console's policy: only this origin, no inline script or style, framed only by itself. */
const expectConsolePolicy = (response: Response) => {
  expectBaseHeaders(response);
  expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(directivesOf(response)).toEqual({
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'script-src-attr': ["'none'"],
  });
};

describe('security headers', () => {
  describe('by default (web chat open to any site)', () => {
    const running = serverAllowing();
    const token = () => running.server.api.token('admin');
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${running.url}${path}`, { headers });

    it('sends them with no-store on API answers: reads, commands and refusals', async () => {
      const list = await get('/workflows', { authorization: `Bearer ${token()}` });
      expect(list.status).toBe(200);
      expectConsolePolicy(list);
      expect(list.headers.get('cache-control')).toBe('no-store');
      const created = await fetch(`${running.url}/workflows`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Headers' }),
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('cache-control')).toBe('no-store');
      for (const refused of [await get('/workflows'), await get('/no-such-route')]) {
        expect([401, 404]).toContain(refused.status);
        expectConsolePolicy(refused);
        expect(refused.headers.get('cache-control')).toBe('no-store');
      }
    });

    it('keeps the public transcript out of every cache', async () => {
      const visitor = new Visitor(running.server.api, running.channelId);
      await visitor.say('Hi');
      const transcript = await get(`/webchat/${running.channelId}/contacts/${visitor.contactId}/messages`, { origin: SHOP });
      expect(transcript.status).toBe(200);
      expectBaseHeaders(transcript);
      expect(transcript.headers.get('cache-control')).toBe('no-store');
      expect(transcript.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('keeps the streams out of every cache too: live cards (SSE) and the NDJSON export', async () => {
      const abort = new AbortController();
      const live = await fetch(`${running.url}/workflows/live`, { headers: { authorization: `Bearer ${token()}` }, signal: abort.signal });
      expect(live.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(live.headers.get('cache-control')).toMatch(/\bno-store\b/);
      expectBaseHeaders(live);
      abort.abort();
      const ndjson = await get('/audit/events.ndjson', { authorization: `Bearer ${running.server.api.token('auditor')}` });
      expect(ndjson.status).toBe(200);
      expect(ndjson.headers.get('cache-control')).toBe('no-store');
      expectBaseHeaders(ndjson);
      await ndjson.text();
    });

    it('lets /docs use inline styles but no inline script, and frames it only on this origin', async () => {
      const docs = await get('/docs', PAGE);
      expect(docs.status).toBe(200);
      expectBaseHeaders(docs);
      expect(docs.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      const directives = directivesOf(docs);
      expect(directives['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
      expect(directives['script-src']).toBeUndefined();
      expect(directives['default-src']).toEqual(["'self'"]);
      expect(directives['frame-ancestors']).toEqual(["'self'"]);
    });

    it('serves the console page under the console policy, revalidated on every load; hashed assets for a year', async () => {
      const page = await get('/workflows/some-id', PAGE);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expectConsolePolicy(page);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      const asset = await get('/assets/index-AbC123.js');
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    });

    it("lets any site frame the widget's page, and load the embed script", async () => {
      const widget = await get(`/chat/${running.channelId}`, PAGE);
      expect(widget.headers.get('content-type')).toMatch(/^text\/html/);
      // Asked for without a browser's Accept (curl, a link checker): the same page, not the API's 404.
      const fetched = await get(`/chat/${running.channelId}`);
      expect([fetched.status, fetched.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      expect((await get(`/chat/${running.channelId}/elsewhere`)).status).toBe(404);
      expectBaseHeaders(widget);
      expect(widget.headers.get('x-frame-options')).toBeNull();
      expect(directivesOf(widget)).toMatchObject({ 'frame-ancestors': ['*'], 'default-src': ["'self'"], 'script-src-attr': ["'none'"] });
      const embed = await get('/webchat.js', { origin: SHOP });
      expect(embed.status).toBe(200);
      expect(embed.headers.get('cache-control')).toBe('no-cache');
      expect(embed.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    });

    it('answers CORS on the web chat routes only', async () => {
      const preflight = (path: string, method: string) =>
        fetch(`${running.url}${path}`, {
          method: 'OPTIONS',
          headers: { origin: SHOP, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
        });
      const allowed = await preflight(`/webchat/${running.channelId}/messages`, 'POST');
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('*');
      const auth = { authorization: `Bearer ${token()}`, origin: SHOP };
      for (const path of ['/workflows', '/channels', '/audit/events', '/step-types', '/health', '/docs-json']) {
        const answer = await get(path, auth);
        expect([path, answer.headers.get('access-control-allow-origin')]).toEqual([path, null]);
        // An unread body of this size (the API document) holds its socket open past the suite.
        await answer.body?.cancel();
        for (const method of ['GET', 'POST', 'DELETE']) {
          const refused = await preflight(path, method);
          expect([path, method, refused.headers.get('access-control-allow-origin')]).toEqual([path, method, null]);
        }
      }
    });
  });

  describe('with WEBCHAT_ALLOWED_ORIGINS', () => {
    const running = serverAllowing([SHOP]);

    it("lets only the listed sites, and the console's Try it, frame the widget", async () => {
      const widget = await fetch(`${running.url}/chat/${running.channelId}`, { headers: PAGE });
      expect(widget.headers.get('x-frame-options')).toBeNull();
      expect(directivesOf(widget)['frame-ancestors']).toEqual(["'self'", SHOP]);
      const console = await fetch(`${running.url}/`, { headers: PAGE });
      expect(directivesOf(console)['frame-ancestors']).toEqual(["'self'"]);
    });
  });
});

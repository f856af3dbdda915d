import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { flowOnWebchat } from './support/conversations.js';
import { type InProcessServer, removeDir, startInProcessServer } from './support/test-server.js';

const SHOP = 'https://shop.example';
const OTHER = 'https://elsewhere.example';
const GREETING = [{ id: 'hello', type: 'send_message', text: 'Hello' }];

/** What a browser on `origin` sends before a JSON POST: the preflight. */
const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });

const corsHeadersOf = (response: Response): Record<string, string> =>
  Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));

/** A server on its own data directory, configured with `allowed`, and a web chat channel with a flow. */
const serverAllowing = (allowed?: readonly string[]) => {
  const suite = {} as { server: InProcessServer; url: string; channelId: string };
  beforeAll(async () => {
    suite.server = await startInProcessServer(undefined, undefined, allowed === undefined ? {} : { webchatAllowedOrigins: allowed });
    suite.url = suite.server.api.baseUrl;
    ({ channelId: suite.channelId } = await flowOnWebchat(suite.server.api, GREETING));
  });
  afterAll(async () => {
    await suite.server.close();
    removeDir(suite.server.dataDir);
  });
  return suite;
};

describe('CORS for the web chat endpoints only', () => {
  describe('by default: any origin', () => {
    const running = serverAllowing();

    it('answers the preflight of a message from another origin', async () => {
      const response = await preflight(`${running.url}/webchat/${running.channelId}/messages`, SHOP);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
      expect(response.headers.get('access-control-allow-headers')).toMatch(/content-type/);
      expect(response.headers.get('access-control-max-age')).toBe('600');
    });

    it('lets a page of another origin send a message and read the transcript', async () => {
      const sent = await fetch(`${running.url}/webchat/${running.channelId}/messages`, {
        method: 'POST',
        headers: { origin: SHOP, 'content-type': 'application/json' },
        body: JSON.stringify({ contactId: 'cors-visitor', text: 'Hi' }),
      });
      expect(sent.status).toBe(202);
      expect(sent.headers.get('access-control-allow-origin')).toBe('*');
      expect(sent.headers.get('access-control-expose-headers')).toBe('retry-after');
      const transcript = await fetch(`${running.url}/webchat/${running.channelId}/contacts/cors-visitor/messages`, {
        headers: { origin: OTHER },
      });
      expect(transcript.status).toBe(200);
      expect(transcript.headers.get('access-control-allow-origin')).toBe('*');
      // Errors too: the widget reads the reason of a refusal.
      const unknown = await fetch(`${running.url}/webchat/not-a-channel/contacts/cors-visitor/messages`, { headers: { origin: SHOP } });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('sends no CORS headers on any other route, preflight or not', async () => {
      const token = running.server.api.token('admin');
      const workflows = await fetch(`${running.url}/workflows`, { headers: { origin: SHOP, authorization: `Bearer ${token}` } });
      expect(workflows.status).toBe(200);
      expect(corsHeadersOf(workflows)).toEqual({});
      const workflowsPreflight = await preflight(`${running.url}/workflows`, SHOP);
      expect(workflowsPreflight.status).toBe(404);
      expect(corsHeadersOf(workflowsPreflight)).toEqual({});
      const health = await fetch(`${running.url}/health`, { headers: { origin: SHOP } });
      expect(corsHeadersOf(health)).toEqual({});
    });
  });

  describe('with WEBCHAT_ALLOWED_ORIGINS', () => {
    const running = serverAllowing([SHOP]);

    it('answers the listed origin by name', async () => {
      const response = await preflight(`${running.url}/webchat/${running.channelId}/messages`, SHOP);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
      expect(response.headers.get('vary')).toMatch(/origin/i);
      const transcript = await fetch(`${running.url}/webchat/${running.channelId}/contacts/someone/messages`, {
        headers: { origin: SHOP },
      });
      expect(transcript.headers.get('access-control-allow-origin')).toBe(SHOP);
    });

    it('refuses every other origin: no CORS headers, so the browser keeps the answer from the page', async () => {
      const refusedPreflight = await preflight(`${running.url}/webchat/${running.channelId}/messages`, OTHER);
      expect(refusedPreflight.status).toBe(404);
      expect(corsHeadersOf(refusedPreflight)).toEqual({});
      const transcript = await fetch(`${running.url}/webchat/${running.channelId}/contacts/someone/messages`, {
        headers: { origin: OTHER },
      });
      expect(transcript.status).toBe(200);
      expect(corsHeadersOf(transcript)).toEqual({});
    });
  });
});

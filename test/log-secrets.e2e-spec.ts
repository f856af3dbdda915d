import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TOPIC_CHOICE_FLOW, Visitor, eventually, flowOnWebchat } from './support/conversations.js';
import { GraphApiStandIn, whatsAppText } from './support/graph-api-stand-in.js';
import { capturedOutputForSuite } from './support/suite-server.js';
import { type Api, type InProcessServer, removeDir, startInProcessServer } from './support/test-server.js';

interface LogEntry {
  level: string;
  msg?: string;
  context?: string;
  requestId?: string;
  method?: string;
  route?: string | null;
  status?: number;
  durationMs?: number;
}

/**
 * A conversation on each kind of channel, admin and auditor calls and Meta's handshake, against a
 * server logging at its most talkative level (verbose: debug and more): every line it writes is
 * JSON, every request has its line, and no token, secret or customer text is in any of them.
 */
describe('what the server logs', () => {
  const graph = new GraphApiStandIn();
  /** The server's log lines, as its logger writes them. */
  const lines: string[] = [];
  /** Anything else written to stdout or stderr meanwhile: it is searched for secrets too. */
  const otherOutput = capturedOutputForSuite();
  let server: InProcessServer;
  let api: Api;
  let graphUrl: string;
  beforeAll(async () => {
    graphUrl = await graph.start();
    server = await startInProcessServer(undefined, undefined, {
      logLevel: 'verbose',
      logFormat: 'json',
      logDestination: { write: (line: string) => lines.push(line) },
    });
    api = server.api;
  });
  afterAll(async () => {
    await server.close();
    await graph.stop();
    removeDir(server.dataDir);
  });

  /** Every token, secret, signature, customer name and customer text the run sends. */
  const secrets: string[] = [];
  const distinct = (prefix: string): string => {
    const value = `${prefix}-${randomUUID()}`;
    secrets.push(value);
    return value;
  };
  /** Requests made with a request id of the test's choosing, to find their lines by. */
  const requestIds: string[] = [];

  it('runs conversations on web chat, WhatsApp and an API channel, with admin and auditor calls', async () => {
    const admin = api.token('admin');
    const auditor = api.token('auditor');
    secrets.push(admin, auditor);

    // Web chat: a visitor with a name, two messages, one refused by validation.
    const { channelId: webchatId, workflowId } = await flowOnWebchat(api, TOPIC_CHOICE_FLOW, { token: admin });
    const visitor = new Visitor(api, webchatId);
    await visitor.say(distinct('webchat text: my card ends in'), distinct('Visitor'));
    expect(await visitor.awaitReplies(2)).toHaveLength(2);
    await visitor.say('Orders');
    await visitor.awaitReplies(3);
    const refused = await api.request('POST', `/webchat/${webchatId}/messages`, {
      body: { contactId: 'not a contact id', text: distinct('refused text') },
      token: null,
    });
    expect(refused.status).toBe(400);

    // WhatsApp: the handshake with the verify token in the query, signed deliveries, a forged one.
    const whatsApp = { accessToken: distinct('EAAG-access'), appSecret: distinct('app-secret'), verifyToken: distinct('verify') };
    const channel = await api.request('POST', '/channels', {
      body: {
        type: 'whatsapp',
        name: 'WhatsApp',
        config: { phoneNumberId: '106540352242922', ...whatsApp, apiBaseUrl: graphUrl, apiVersion: 'v21.0' },
      },
      token: admin,
    });
    expect(channel.status).toBe(201);
    const whatsAppId = channel.body.id as string;
    expect((await api.request('PUT', `/channels/${whatsAppId}/workflow`, { body: { workflowId }, token: admin })).status).toBe(200);
    const handshake = (verifyToken: string) =>
      fetch(`${api.baseUrl}/webhooks/whatsapp/${whatsAppId}?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=8493`);
    expect((await handshake(whatsApp.verifyToken)).status).toBe(200);
    expect((await handshake(distinct('guessed-verify'))).status).toBe(403);
    // A handshake sent to a path no route takes: the answer names the path, not the query.
    const mistyped = await fetch(
      `${api.baseUrl}/webhook/whatsapp/${whatsAppId}?hub.mode=subscribe&hub.verify_token=${whatsApp.verifyToken}`,
    );
    expect(await mistyped.json()).toEqual({ statusCode: 404, message: `Cannot GET /webhook/whatsapp/${whatsAppId}`, error: 'Not Found' });
    const customer = `1650555${Math.floor(Math.random() * 10000)}`;
    const delivery = JSON.stringify(whatsAppText(customer, distinct('Customer'), `wamid.${randomUUID()}`, distinct('whatsapp text')));
    const signature = `sha256=${createHmac('sha256', whatsApp.appSecret).update(delivery).digest('hex')}`;
    secrets.push(signature);
    const deliver = (headers: Record<string, string>) =>
      api.request('POST', `/webhooks/whatsapp/${whatsAppId}`, { rawBody: delivery, headers, token: null });
    expect((await deliver({ 'x-hub-signature-256': signature })).status).toBe(200);
    expect((await deliver({ 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` })).status).toBe(401);
    await eventually(
      async () => graph.textsTo(customer),
      (texts) => texts.length === 2,
    );

    // An API channel in pull mode: its secret as the bearer token, a wrong one refused.
    const apiSecret = distinct('api-channel-secret');
    const apiChannel = await api.request('POST', '/channels', {
      body: { type: 'api', name: 'Bridge', config: { secret: apiSecret } },
      token: admin,
    });
    const apiChannelId = apiChannel.body.id as string;
    await api.request('PUT', `/channels/${apiChannelId}/workflow`, { body: { workflowId }, token: admin });
    const inbound = {
      contactId: `sms-${randomUUID()}`,
      contactName: distinct('Texter'),
      text: distinct('api text'),
      externalId: randomUUID(),
    };
    expect((await api.request('POST', `/channels/${apiChannelId}/api/messages`, { body: inbound, token: apiSecret })).status).toBe(202);
    expect(
      (await api.request('POST', `/channels/${apiChannelId}/api/messages`, { body: inbound, token: distinct('wrong-secret') })).status,
    ).toBe(401);
    await eventually(
      async () => (await api.request('GET', `/channels/${apiChannelId}/api/outbox`, { token: apiSecret })).body.items as unknown[],
      (items) => items.length === 2,
    );

    // Admin and auditor reads that answer with the texts above; a token in a query string and one as a request id.
    const sessions = await api.request('GET', `/workflows/${workflowId}/sessions?status=active`, { token: admin });
    expect(sessions.body.items.length).toBeGreaterThanOrEqual(2);
    for (const { id } of sessions.body.items as { id: string }[])
      expect((await api.request('GET', `/sessions/${id}`, { token: admin })).status).toBe(200);
    expect((await api.request('GET', '/audit/events?limit=1000', { token: auditor })).status).toBe(200);
    expect((await api.request('GET', `/audit/events.ndjson`, { token: auditor })).status).toBe(200);
    expect((await api.request('GET', `/nowhere?token=${admin}`, { token: null })).status).toBe(404);
    expect((await api.request('GET', '/workflows', { token: admin, headers: { 'x-request-id': admin } })).status).toBe(200);
    for (const path of ['/health', `/workflows/${workflowId}`]) {
      const requestId = `log-secrets-${randomUUID()}`;
      requestIds.push(requestId);
      const response = await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${admin}`, 'x-request-id': requestId } });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-request-id')).toBe(requestId);
    }
  });

  it('logged none of the tokens, secrets, signatures, names or texts used', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(16);
    const logged = lines.join('') + otherOutput.join('');
    for (const secret of secrets) expect({ secret, logged: logged.includes(secret) }).toEqual({ secret, logged: false });
    // The test searched something: the server logged what it did (the session engine's replies among it).
    expect(lines.length).toBeGreaterThan(50);
  });

  it('wrote every line as JSON, one line per request with method, route pattern, status, duration and request id', () => {
    const entries = lines.map((line) => JSON.parse(line) as LogEntry);
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    const requestLines = entries.filter((entry) => entry.status !== undefined);
    for (const entry of requestLines) {
      expect(entry).toEqual(
        expect.objectContaining({
          method: expect.any(String),
          status: expect.any(Number),
          durationMs: expect.any(Number),
          requestId: expect.any(String),
        }),
      );
      expect(entry.route === null || entry.route?.startsWith('/')).toBe(true);
    }
    expect(requestLines.filter((entry) => requestIds.includes(entry.requestId!))).toEqual([
      expect.objectContaining({ method: 'GET', route: '/health', status: 200 }),
      expect.objectContaining({ method: 'GET', route: '/workflows/:id', status: 200 }),
    ]);
    expect(requestLines).toContainEqual(expect.objectContaining({ method: 'POST', route: '/webchat/:channelId/messages', status: 202 }));
    expect(requestLines).toContainEqual(
      expect.objectContaining({ method: 'GET', route: '/webhooks/:channelType/:channelId', status: 403 }),
    );
    expect(requestLines).toContainEqual(expect.objectContaining({ method: 'GET', route: null, status: 404 }));
    // Nest's own lines carry their context; its start-up lines (one per route) are debug, not info.
    expect(entries).toContainEqual(expect.objectContaining({ level: 'debug', context: 'RouterExplorer' }));
    expect(entries.filter((entry) => entry.level === 'info' && entry.msg?.startsWith('Mapped {'))).toEqual([]);
  });
});

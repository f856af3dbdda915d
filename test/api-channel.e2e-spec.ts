import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TOPIC_CHOICE_FLOW, eventsOfType, eventually } from './support/conversations.js';
import {
  type Api,
  type InProcessServer,
  newSecret,
  removeDir,
  spawnServer,
  startInProcessServer,
  temporaryDataDir,
} from './support/test-server.js';
import { capturedOutputForSuite } from './support/suite-server.js';

const TOPIC_CHOICES = [
  { label: 'Orders', value: 'orders' },
  { label: 'Returns', value: 'returns' },
];

/** The README's receiver check: a fresh timestamp, and the HMAC of "<timestamp>.<raw body>" with the secret. */
function isSignedBy(secret: string, headers: IncomingHttpHeaders, rawBody: string): boolean {
  const timestamp = Number(headers['x-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
  const given = String(headers['x-signature-256'] ?? '');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

interface Callback {
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: { messageId: string; contactId: string; text: string; choices: unknown[]; sessionId: string; workflowId: string };
  /** What the stand-in answered. */
  status: number;
}

/** An outside adapter's callback endpoint on loopback: records every call, answers as each contact's script says (then 200). */
class CallbackStandIn {
  readonly calls: Callback[] = [];
  private readonly scripts = new Map<string, number[]>();
  private server: Server | undefined;

  /** The next answers to calls for `contactId`, in order; 200 once they are used up. */
  script(contactId: string, ...statuses: number[]): void {
    this.scripts.set(contactId, statuses);
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(rawBody) as Callback['body'];
        const status = this.scripts.get(body.contactId)?.shift() ?? 200;
        this.calls.push({ headers: request.headers, rawBody, body, status });
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(status === 200 ? '{"ok":true}' : '{"error":"scripted"}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/workflows`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  callsFor(contactId: string): Callback[] {
    return this.calls.filter((call) => call.body.contactId === contactId);
  }
}

/** An API channel with `TOPIC_CHOICE_FLOW` assigned; `callbackUrl` absent: pull mode. */
async function apiChannelWithFlow(api: Api, callbackUrl?: string) {
  const secret = `api-channel-secret-${randomUUID()}`;
  const workflow = await api.request('POST', '/workflows', { body: { name: 'Bridge flow' } });
  await api.request('PUT', `/workflows/${workflow.body.id}/definition`, { body: { steps: TOPIC_CHOICE_FLOW } });
  const created = await api.request('POST', '/channels', {
    body: { type: 'api', name: 'SMS bridge', config: { secret, ...(callbackUrl === undefined ? {} : { callbackUrl }) } },
  });
  expect(created.status).toBe(201);
  expect(Object.keys(created.body).sort()).toEqual(['id', 'position']);
  const channelId = created.body.id as string;
  await api.request('PUT', `/channels/${channelId}/workflow`, { body: { workflowId: workflow.body.id } });
  return { channelId, workflowId: workflow.body.id as string, secret };
}

/** The channel's side of the protocol, as an outside adapter calls it. */
const adapterOf = (api: Api, channelId: string, secret: string) => ({
  send: (body: Record<string, unknown>, token: string | null = secret) =>
    api.request('POST', `/channels/${channelId}/api/messages`, { body, token }),
  receipt: (body: Record<string, unknown>) => api.request('POST', `/channels/${channelId}/api/receipts`, { body, token: secret }),
  outbox: (query = '') => api.request('GET', `/channels/${channelId}/api/outbox${query}`, { token: secret }),
  ack: (messageIds: string[]) => api.request('POST', `/channels/${channelId}/api/outbox/ack`, { body: { messageIds }, token: secret }),
});

describe('API channel', () => {
  const callbacks = new CallbackStandIn();
  let callbackUrl: string;
  let server: InProcessServer;
  let api: Api;
  const secretsUsed: string[] = [];
  /** Every line the server logs, at its most talkative level, to look for secrets in. */
  const logged = capturedOutputForSuite();
  beforeAll(async () => {
    callbackUrl = await callbacks.start();
    server = await startInProcessServer(undefined, undefined, { logLevel: 'verbose' });
    api = server.api;
  });
  afterAll(async () => {
    await server.close();
    await callbacks.stop();
    removeDir(server.dataDir);
  });

  /** The data of the events of `type` in the server's log that `about` picks: one field equal to a value. */
  const inLog = (type: string, about: Record<string, unknown>) =>
    eventsOfType(server.dataDir, type).filter((event) => Object.entries(about).every(([field, value]) => event[field] === value));
  /** Waits until the log holds `count` such events, and returns them. */
  const inLogEventually = (type: string, about: Record<string, unknown>, count: number) =>
    eventually(
      async () => inLog(type, about),
      (events) => events.length === count,
    );

  const channel = async (withCallback: boolean) => {
    const created = await apiChannelWithFlow(api, withCallback ? callbackUrl : undefined);
    secretsUsed.push(created.secret);
    return { ...created, adapter: adapterOf(api, created.channelId, created.secret) };
  };

  it('is created with a secret of at least 32 characters and an optional http(s) callbackUrl, 400 naming the field otherwise', async () => {
    const create = (config: unknown) => api.request('POST', '/channels', { body: { type: 'api', name: 'Bridge', config } });
    const secret = `a-secret-that-is-long-enough-${randomUUID()}`;
    secretsUsed.push(secret);

    expect((await create({})).body.message).toBe('config.secret is required for api channels');
    expect((await create({ secret: 'too-short-0123456789' })).body).toMatchObject({
      statusCode: 400,
      message: 'config.secret must be at least 32 printable characters without spaces',
    });
    expect((await create({ secret: 's'.repeat(4097) })).body.message).toBe('config.secret must be at most 4096 characters');
    expect((await create({ secret: 42 })).body.message).toBe('config.secret must be a string');
    // A URL no request can be made to (a control character in its host, a port past 65535) failed every delivery.
    for (const callbackUrl of ['ftp://bridge.example/hook', 'http://x\u0000y/cb', 'http://x\u0001y/cb', 'http://[::1]:99999/cb']) {
      expect([callbackUrl, (await create({ secret, callbackUrl })).body.message]).toEqual([
        callbackUrl,
        'config.callbackUrl must be an http(s) URL without fragment',
      ]);
    }
    expect((await create({ secret, callbackUrl: 'https://user:pass@bridge.example/hook' })).body.message).toBe(
      'config.callbackUrl must not carry a user name or password: settings are shown and recorded as they are',
    );
    expect((await create({ secret, callbackUrl: `https://bridge.example/${'x'.repeat(2048)}` })).body.message).toBe(
      'config.callbackUrl must be at most 2048 characters',
    );
    expect((await create({ secret, token: 'x' })).body.message).toBe('config.token is not a setting of api channels');
    const created = await create({ secret, callbackUrl: 'https://bridge.example/hook?tenant=7' });
    expect(created.status).toBe(201);
    const listed = await api.request('GET', `/channels?consistentWith=${created.body.position}`);
    expect(listed.body.items).toContainEqual({ id: created.body.id, type: 'api', name: 'Bridge', workflowId: null, previewOf: null });
    expect(JSON.stringify(listed.body)).not.toContain(secret);
  });

  it("takes the channel's secret, not an admin token: 401 without it, 404 for no such API channel, 400 naming the field", async () => {
    const { channelId, secret, adapter } = await channel(false);
    const message = { contactId: 'sms:+4915100000001', text: 'Hello', externalId: `sms-${randomUUID()}` };

    expect((await adapter.send(message, null)).status).toBe(401);
    expect((await adapter.send(message, api.token())).status).toBe(401);
    expect((await adapter.send(message, `${secret}x`)).status).toBe(401);
    expect((await api.request('GET', `/channels/${channelId}/api/outbox`, { token: 'wrong' })).status).toBe(401);
    // Bad input from someone without the secret is refused for the secret first: they learn nothing of it.
    expect((await adapter.send({}, null)).status).toBe(401);
    // So is a body that cannot be read at all: not JSON, not JSON's type, too deep, a prototype key.
    for (const [rawBody, contentType] of [
      ['garbage', 'application/json'],
      ['garbage', 'text/plain'],
      [`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, 'application/json'],
      ['{"__proto__":1}', 'application/json'],
    ]) {
      for (const path of ['messages', 'receipts', 'outbox/ack']) {
        const answer = await api.request('POST', `/channels/${channelId}/api/${path}`, {
          rawBody,
          headers: { 'content-type': contentType },
          token: `${secret}x`,
        });
        expect([path, rawBody, answer.status]).toEqual([path, rawBody, 401]);
      }
    }
    const unreadable = await api.request('POST', `/channels/${channelId}/api/messages`, { rawBody: 'garbage', token: secret });
    expect(unreadable.body).toEqual({ statusCode: 400, message: 'The body is not valid JSON', error: 'Bad Request' });

    const webchat = await api.request('POST', '/channels', { body: { type: 'webchat', name: 'Site chat' } });
    for (const id of [randomUUID(), webchat.body.id as string, 'not-a-uuid']) {
      const answer = await api.request('POST', `/channels/${id}/api/messages`, { body: message, token: secret });
      expect(answer).toMatchObject({ status: 404, body: { message: `Channel ${id} not found` } });
    }

    /** What a 400 says: Nest's validation lists each field's first problem. */
    const problems = ({ status, body }: { status: number; body: { message: string | string[] } }) => {
      expect(status).toBe(400);
      return [body.message].flat();
    };
    const refused = async (body: Record<string, unknown>) => problems(await adapter.send(body));
    expect(await refused({ ...message, contactId: 'has space' })).toEqual(['contactId must be 1 to 128 letters, digits or _.:@+-']);
    expect(await refused({ contactId: 'sms:1', text: 'Hi' })).toEqual(['externalId is required']);
    expect(await refused({ ...message, externalId: 'has space' })).toEqual([
      'externalId must be 1 to 256 printable characters without spaces',
    ]);
    expect(await refused({ text: 'Hi', externalId: 'e-1' })).toEqual(['contactId is required']);
    expect(await refused({ contactId: 'sms:1', externalId: 'e-1' })).toEqual(['text or choice is required, exactly one of them']);
    expect(await refused({ contactId: 'sms:1', externalId: 'e-1', text: 'Hi', choice: 'orders' })).toEqual([
      'text or choice is required, exactly one of them',
    ]);
    expect(await refused({ ...message, text: 7 })).toEqual(['text must be a string']);
    // null is not "no text": it was recorded as an empty message.
    expect(await refused({ ...message, text: null })).toEqual(['text must be a string']);
    expect(await refused({ contactId: 'sms:1', externalId: 'e-1', choice: null })).toEqual(['choice must be a string']);
    expect(await refused({ ...message, contactName: null })).toEqual(['contactName must be a string']);
    expect(await refused({ ...message, contactName: '   ' })).toEqual(['contactName must not be empty']);
    expect(await refused({ ...message, unknown: 1 })).toEqual(['property unknown should not exist']);
    expect(problems(await adapter.receipt({ messageId: 'm-1', status: 'seen' }))).toEqual([
      'status must be one of sent, delivered, read, failed',
    ]);
    expect(problems(await adapter.outbox('?after=x'))).toEqual(['after must be a cursor from a previous page (next)']);
    expect(problems(await adapter.ack([]))).toEqual(['messageIds must hold at least one id']);
    expect((await adapter.outbox('?limit=0')).status).toBe(400);
  });

  it('refuses a body of null on every route that reads one, as any JSON that is no object', async () => {
    const { channelId, secret } = await channel(false);
    for (const path of ['messages', 'receipts', 'outbox/ack']) {
      const answer = await api.request('POST', `/channels/${channelId}/api/${path}`, { rawBody: 'null', token: secret });
      expect([path, answer.body]).toEqual([
        path,
        { statusCode: 400, message: 'The request body must be a JSON object', error: 'Bad Request' },
      ]);
    }
  });

  it("takes a receipt's time only with a time zone: read in the server's zone, another one would be recorded", async () => {
    const { adapter } = await channel(false);
    for (const at of ['2026-12-07', '2026-12-07T18:00:00', 'yesterday']) {
      const answer = await adapter.receipt({ messageId: 'm-1', status: 'read', at });
      expect([at, answer.status, answer.body.message]).toEqual([
        at,
        400,
        ['at must be an ISO 8601 date-time with a time zone, e.g. 2026-01-01T12:00:00Z'],
      ]);
    }
    for (const at of ['2026-12-07T18:00:00+01:00', '2026-12-07T17:00:00.250Z']) {
      expect([at, (await adapter.receipt({ messageId: 'm-1', status: 'read', at })).status]).toEqual([at, 202]);
    }
  });

  it('takes the same externalId from two contacts as two messages, each with an id of its own', async () => {
    const { adapter } = await channel(false);
    const externalId = `sms-${randomUUID()}`;
    const first = await adapter.send({ contactId: 'sms:+491510000001', text: 'Hello', externalId });
    const second = await adapter.send({ contactId: 'sms:+491510000002', text: 'Hi', externalId });
    expect([first.status, second.status]).toEqual([202, 202]);
    // One id for both overwrote the first contact's message with the second's in the transcripts.
    expect(second.body.messageId).not.toBe(first.body.messageId);
    expect(await adapter.send({ contactId: 'sms:+491510000001', text: 'Hello', externalId })).toEqual({ status: 200, body: first.body });
  });

  describe('pull mode (no callbackUrl)', () => {
    it("runs a whole conversation: idempotent messages in, the bot's messages listed in order, acknowledged and gone", async () => {
      const { channelId, workflowId, adapter } = await channel(false);
      const contactId = `telegram:${Date.now()}`;
      const hello = { contactId, contactName: 'Ada', text: 'Hello', externalId: `tg-${randomUUID()}` };

      const first = await adapter.send(hello);
      expect(first.status).toBe(202);
      expect(Object.keys(first.body).sort()).toEqual(['messageId', 'position']);
      const repeat = await adapter.send(hello);
      expect(repeat).toEqual({ status: 200, body: first.body });
      // The repeat is known by its externalId alone: what else it says does not make it new.
      expect(await adapter.send({ ...hello, text: 'Hello again' })).toEqual({ status: 200, body: first.body });

      const listed = await eventually(
        () => adapter.outbox(),
        ({ body }) => body.items?.length === 2,
      );
      expect(listed.status).toBe(200);
      const [welcome, question] = listed.body.items;
      expect(welcome).toEqual({
        messageId: expect.any(String),
        contactId,
        text: 'Hi Ada!',
        choices: [],
        sessionId: expect.any(String),
        workflowId,
        sentAt: expect.any(String),
      });
      expect(question).toMatchObject({ text: 'What can we do for you?', choices: TOPIC_CHOICES, sessionId: welcome.sessionId });

      // A cursor continues after a page; the same cursor again while nothing new is there.
      const firstPage = await adapter.outbox('?limit=1');
      expect(firstPage.body.items.map((item: { messageId: string }) => item.messageId)).toEqual([welcome.messageId]);
      const rest = await adapter.outbox(`?after=${firstPage.body.next}`);
      expect(rest.body.items.map((item: { messageId: string }) => item.messageId)).toEqual([question.messageId]);
      expect((await adapter.outbox(`?after=${rest.body.next}`)).body).toEqual({ items: [], next: rest.body.next });

      const acked = await adapter.ack([welcome.messageId, question.messageId, 'no-such-message']);
      expect(acked.status).toBe(200);
      expect(acked.body).toEqual({
        acknowledged: [welcome.messageId, question.messageId],
        unknown: ['no-such-message'],
        position: expect.any(String),
      });
      expect((await adapter.outbox(`?consistentWith=${acked.body.position}`)).body.items).toEqual([]);

      const answered = await adapter.send({ contactId, choice: 'returns', externalId: `tg-${randomUUID()}` });
      expect(answered.status).toBe(202);
      const thanks = await eventually(
        () => adapter.outbox(),
        ({ body }) => body.items.length === 1,
      );
      expect(thanks.body.items[0]).toMatchObject({ text: 'Noted: returns', choices: [], sessionId: welcome.sessionId });
      const again = await adapter.ack([thanks.body.items[0].messageId]);
      // Acknowledging again is harmless: the message is no longer in the outbox.
      expect((await adapter.ack([thanks.body.items[0].messageId])).body).toMatchObject({
        acknowledged: [],
        unknown: [thanks.body.items[0].messageId],
      });
      expect((await adapter.outbox(`?consistentWith=${again.body.position}`)).body.items).toEqual([]);

      const session = await api.request('GET', `/sessions/${welcome.sessionId}`);
      expect(session.body).toMatchObject({ status: 'ended', channelId, contactId, variables: { topic: 'returns' } });
      const inbound = session.body.transcript.filter((message: { direction: string }) => message.direction === 'inbound');
      expect(inbound.map((message: { text: string }) => message.text)).toEqual(['Hello', 'returns']);
      const received = inLog('MessageReceived', { channelId });
      expect(received.map((event) => event.messageId)).toEqual([first.body.messageId, answered.body.messageId]);
      const delivered = inLog('MessageDelivered', { sessionId: welcome.sessionId });
      expect(delivered.map((event) => event.messageId)).toEqual([welcome.messageId, question.messageId, thanks.body.items[0].messageId]);
    });

    it('has no outbox on a channel with a callbackUrl', async () => {
      const { adapter } = await channel(true);
      expect(await adapter.outbox()).toMatchObject({
        status: 404,
        body: { message: expect.stringContaining('delivers to its callbackUrl') },
      });
    });
  });

  describe('callbacks (a callbackUrl)', () => {
    it("POSTs the bot's messages signed, in order, and takes the answer to a choice", async () => {
      const { channelId, workflowId, secret, adapter } = await channel(true);
      const contactId = `sms:+49151${Date.now() % 10_000_000}`;
      expect((await adapter.send({ contactId, contactName: 'Ada', text: 'Hello', externalId: `sms-${randomUUID()}` })).status).toBe(202);

      const [welcome, question] = await eventually(
        async () => callbacks.callsFor(contactId),
        (calls) => calls.length === 2,
      );
      for (const call of [welcome, question]) {
        expect(isSignedBy(secret, call.headers, call.rawBody)).toBe(true);
        expect(isSignedBy(`${secret}x`, call.headers, call.rawBody)).toBe(false);
        expect(call.headers['content-type']).toBe('application/json');
      }
      expect(welcome.body).toEqual({
        messageId: expect.any(String),
        contactId,
        text: 'Hi Ada!',
        choices: [],
        sessionId: expect.any(String),
        workflowId,
      });
      expect(question.body).toMatchObject({ text: 'What can we do for you?', choices: TOPIC_CHOICES, sessionId: welcome.body.sessionId });

      await adapter.send({ contactId, choice: 'orders', externalId: `sms-${randomUUID()}` });
      const calls = await eventually(
        async () => callbacks.callsFor(contactId),
        (all) => all.length === 3,
      );
      expect(calls.map((call) => call.body.text)).toEqual(['Hi Ada!', 'What can we do for you?', 'Noted: orders']);
      const delivered = await inLogEventually('MessageDelivered', { sessionId: welcome.body.sessionId }, 3);
      expect(delivered.map((event) => event.messageId)).toEqual(calls.map((call) => call.body.messageId));

      // Receipts name the message by its messageId, and are recorded once however often they are reported.
      const receipt = { messageId: welcome.body.messageId, status: 'read', at: '2026-12-02T01:00:00Z' };
      const recorded = await adapter.receipt(receipt);
      expect(recorded).toEqual({ status: 202, body: { position: expect.any(String) } });
      expect(await adapter.receipt(receipt)).toEqual(recorded);
      // The same instant written in another way is the same receipt; `at` is kept in UTC.
      expect(await adapter.receipt({ ...receipt, at: '2026-12-02T02:00:00.000+01:00' })).toEqual(recorded);
      expect(inLog('DeliveryReceiptReceived', { channelId })).toEqual([
        { channelId, providerMessageId: welcome.body.messageId, status: 'read', at: '2026-12-02T01:00:00.000Z' },
      ]);
    });

    it('retries a message the callback answered 500 at the recorded retryAt, before the next one', async () => {
      const { adapter } = await channel(true);
      const contactId = `app-user-${randomUUID()}`;
      callbacks.script(contactId, 500);
      await adapter.send({ contactId, contactName: 'Bo', text: 'Hello', externalId: `app-${randomUUID()}` });

      const calls = await eventually(
        async () => callbacks.callsFor(contactId),
        (all) => all.length === 3,
      );
      expect(calls.map((call) => [call.body.text, call.status])).toEqual([
        ['Hi Bo!', 500],
        ['Hi Bo!', 200],
        ['What can we do for you?', 200],
      ]);
      expect(calls[1].body.messageId).toBe(calls[0].body.messageId);
      const [failed] = inLog('MessageDeliveryAttemptFailed', { messageId: calls[0].body.messageId });
      expect(failed).toMatchObject({ attempt: 1, status: 500, error: 'the callback answered HTTP 500', retryAt: expect.any(String) });
      const delivered = await inLogEventually('MessageDelivered', { messageId: calls[0].body.messageId }, 1);
      expect(delivered[0]).toMatchObject({ attempt: 2 });
    });

    it('records a message the callback answered 400 as failed for good, and never sends it again', async () => {
      const { adapter } = await channel(true);
      const contactId = `app-user-${randomUUID()}`;
      callbacks.script(contactId, 400);
      await adapter.send({ contactId, contactName: 'Cy', text: 'Hello', externalId: `app-${randomUUID()}` });

      const calls = await eventually(
        async () => callbacks.callsFor(contactId),
        (all) => all.length === 2,
      );
      const failed = await inLogEventually('MessageDeliveryFailed', { messageId: calls[0].body.messageId }, 1);
      expect(failed[0]).toMatchObject({ attempt: 1, status: 400, error: 'the callback answered HTTP 400' });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(callbacks.callsFor(contactId).map((call) => [call.body.text, call.status])).toEqual([
        ['Hi Cy!', 400],
        ['What can we do for you?', 200],
      ]);
    });
  });

  it('stored none of the secrets of the channels above in any event or read model, nor logged one', () => {
    expect(secretsUsed.length).toBeGreaterThanOrEqual(6);
    const logs = logged.join('');
    expect(logs).toContain('Mapped {/channels/:channelId/api/messages, POST} route');
    const stored = readdirSync(server.dataDir)
      .filter((file) => file.startsWith('events.sqlite') || file.startsWith('read-models.sqlite'))
      .map((file) => readFileSync(join(server.dataDir, file)).toString('latin1'))
      .join('\n');
    for (const value of secretsUsed) {
      expect(logs.includes(value)).toBe(false);
      expect(stored.includes(value)).toBe(false);
    }
    const created = inLog('ChannelCreated', { channelType: 'api' });
    expect(created.every((event) => typeof event.sealedSecrets === 'string' && event.sealedSecrets.startsWith('v1:'))).toBe(true);
  });
});

describe('API channel callbacks to a private address, in a deployment that keeps the default', () => {
  const callbacks = new CallbackStandIn();
  let callbackUrl: string;
  let server: InProcessServer;
  beforeAll(async () => {
    callbackUrl = await callbacks.start();
    server = await startInProcessServer(undefined, undefined, { channelPrivateAddresses: undefined });
  });
  afterAll(async () => {
    await server.close();
    await callbacks.stop();
    removeDir(server.dataDir);
  });

  it('makes no call to a callbackUrl on loopback, and records why', async () => {
    const { channelId, secret } = await apiChannelWithFlow(server.api, callbackUrl);
    const contactId = `app-user-${randomUUID()}`;
    expect(
      (await adapterOf(server.api, channelId, secret).send({ contactId, text: 'Hello', externalId: `app-${randomUUID()}` })).status,
    ).toBe(202);
    const [failed] = await eventually(
      async () => eventsOfType(server.dataDir, 'MessageDeliveryAttemptFailed'),
      (events) => events.length > 0,
    );
    expect(failed).toMatchObject({
      attempt: 1,
      error: expect.stringMatching(/^the callback could not be reached: .*127\.0\.0\.1, a private address channels may not call/),
    });
    expect(callbacks.callsFor(contactId)).toEqual([]);
  });
});

describe('API channel callbacks across a kill -9', () => {
  const dataDir = temporaryDataDir();
  const callbacks = new CallbackStandIn();
  afterAll(async () => {
    await callbacks.stop();
    removeDir(dataDir);
  });

  it('delivers a message whose retry was pending when the server died exactly once after the restart', async () => {
    const callbackUrl = await callbacks.start();
    const secret = newSecret();
    const contactId = 'sms:+4915100000042';
    // The callback fails until the server has died.
    callbacks.script(contactId, ...Array.from({ length: 8 }, () => 503));

    const first = await spawnServer(dataDir, secret);
    const { channelId, secret: channelSecret } = await apiChannelWithFlow(first.api, callbackUrl);
    const adapter = adapterOf(first.api, channelId, channelSecret);
    expect((await adapter.send({ contactId, contactName: 'Ada', text: 'Hello', externalId: 'sms-1' })).status).toBe(202);
    await eventually(
      async () => eventsOfType(dataDir, 'MessageDeliveryAttemptFailed'),
      (events) => events.length >= 1,
    );
    // A retry is pending: the server dies before it is made.
    first.process.kill('SIGKILL');
    await first.exited;
    callbacks.script(contactId);
    const failedCalls = callbacks.callsFor(contactId).length;

    const second = await spawnServer(dataDir, secret);
    try {
      const calls = await eventually(
        async () => callbacks.callsFor(contactId).filter((call) => call.status === 200),
        (ok) => ok.length === 2,
        15_000,
      );
      expect(calls.map((call) => call.body.text)).toEqual(['Hi Ada!', 'What can we do for you?']);
      for (const call of calls) expect(isSignedBy(channelSecret, call.headers, call.rawBody)).toBe(true);
      // The repeat of an externalId the first server recorded is still known after the restart.
      expect((await adapterOf(second.api, channelId, channelSecret).send({ contactId, text: 'Hello', externalId: 'sms-1' })).status).toBe(
        200,
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const all = callbacks.callsFor(contactId);
      expect(all.slice(failedCalls).map((call) => [call.body.text, call.status])).toEqual([
        ['Hi Ada!', 200],
        ['What can we do for you?', 200],
      ]);
      const delivered = eventsOfType(dataDir, 'MessageDelivered');
      expect(delivered.map((event) => event.messageId)).toEqual(calls.map((call) => call.body.messageId));
      expect(delivered[0].attempt).toBe(failedCalls + 1);

      const logs = first.output() + second.output();
      const stored = readdirSync(dataDir)
        .filter((file) => file.startsWith('events.sqlite') || file.startsWith('read-models.sqlite'))
        .map((file) => readFileSync(join(dataDir, file)).toString('latin1'))
        .join('\n');
      expect(logs).toContain('Serving');
      expect(stored.includes(channelSecret)).toBe(false);
      expect(logs.includes(channelSecret)).toBe(false);
    } finally {
      second.process.kill('SIGKILL');
      await second.exited;
    }
  }, 60_000);
});

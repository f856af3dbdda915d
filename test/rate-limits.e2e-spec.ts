import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import type { RateLimit, RateLimitName, RateLimitsConfig } from '#platform';
import { messengerEvent, postWebhook, whatsAppText } from './support/graph-api-stand-in.js';
import { rateLimitsWith } from './support/rate-limits.js';
import { type Api, type InProcessServer, type RequestOptions, removeDir, startInProcessServer } from './support/test-server.js';

const MINUTE_MS = 60_000;

/** Small limits, so a test reaches them in a few requests; `X-Forwarded-For` from loopback names the client. */
const limitsOf = (limits: Partial<Record<RateLimitName, RateLimit>>, enabled = true): RateLimitsConfig =>
  rateLimitsWith(limits, { enabled, trustProxy: ['127.0.0.1'] });

/** A client address of its own for each test (documentation ranges), so no test spends another's count. */
const newAddress = (): string => `2001:db8:${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}::1`;
const from = (address: string) => ({ 'x-forwarded-for': address });

/** Whether anything the server recorded mentions `needle`: a refused request must leave no trace. */
const logMentions = (dataDir: string, needle: string): boolean => {
  const log = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    return log.prepare('SELECT 1 FROM events WHERE data LIKE ?').get(`%${needle}%`) !== undefined;
  } finally {
    log.close();
  }
};

/** Status, JSON body and Retry-After of one request. */
const call = async (api: Api, method: string, path: string, options: RequestOptions = {}) => {
  const response = await api.fetch(method, path, options);
  const text = await response.text();
  const body: any = response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text;
  return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
};

/** A 429 of the API's error shape whose message names the limit and whose Retry-After says when to come back. */
const expectRefused = (answer: Awaited<ReturnType<typeof call>>, refusal: string, windowSeconds = 60): number => {
  expect(answer.status).toBe(429);
  const retryAfter = Number(answer.retryAfter);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowSeconds).toBe(true);
  expect(answer.body).toEqual({ statusCode: 429, message: `${refusal}; retry in ${retryAfter} s`, error: 'Too Many Requests' });
  return retryAfter;
};

/** Admin requests that set a test up, each under a token of its own so they spend no test's count. */
const setUp = (api: Api, method: string, path: string, body?: unknown) =>
  call(api, method, path, { body, token: api.token('admin', undefined, `set-up-${randomUUID()}`) });

const newChannel = async (api: Api, type: 'webchat' | 'whatsapp' | 'messenger' | 'api') => {
  const secret = `api-channel-secret-${randomUUID()}`;
  const appSecret = `app-${randomUUID()}`;
  const config = {
    webchat: undefined,
    whatsapp: { phoneNumberId: '106540352242922', accessToken: 'EAAG-wa', appSecret, verifyToken: 'verify-me' },
    messenger: { pageId: '1067280970047460', pageAccessToken: 'EAAG-page', appSecret, verifyToken: 'verify-me' },
    api: { secret },
  }[type];
  const created = await setUp(api, 'POST', '/channels', { type, name: `${type} channel`, ...(config ? { config } : {}) });
  expect(created.status).toBe(201);
  return { channelId: created.body.id as string, secret, appSecret };
};

/** A delivery of one text message, known by `messageId`. */
const deliveryOf = (type: 'whatsapp' | 'messenger', messageId: string) =>
  type === 'whatsapp'
    ? whatsAppText('16505551234', 'Ada', messageId, 'Hello')
    : messengerEvent('1067280970047460', '6934719939887017', { message: { mid: messageId, text: 'Hello' } });

const webchat = (api: Api, channelId: string, address: string) => ({
  say: (contactId: string, text = `Hello ${randomUUID()}`) =>
    call(api, 'POST', `/webchat/${channelId}/messages`, { body: { contactId, text }, token: null, headers: from(address) }),
  read: (contactId: string) =>
    call(api, 'GET', `/webchat/${channelId}/contacts/${contactId}/messages`, { token: null, headers: from(address) }),
});

describe('Abuse limits', () => {
  let server: InProcessServer;
  let api: Api;
  beforeAll(async () => {
    server = await startInProcessServer(undefined, undefined, {
      rateLimits: limitsOf({
        webchatContact: { max: 3, windowMs: MINUTE_MS },
        webchatAddress: { max: 8, windowMs: MINUTE_MS },
        channelInbound: { max: 10, windowMs: MINUTE_MS },
        token: { max: 5, windowMs: MINUTE_MS },
        refusedSignIns: { max: 3, windowMs: MINUTE_MS },
      }),
    });
    api = server.api;
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  describe('on web chat', () => {
    it('refuses messages from a contact past its limit and stores nothing of what it refused; its reads and other contacts go on', async () => {
      const { channelId } = await newChannel(api, 'webchat');
      const chat = webchat(api, channelId, newAddress());
      const accepted = `accepted ${randomUUID()}`;

      expect((await chat.say('ada', accepted)).status).toBe(202);
      for (let message = 1; message < 3; message++) expect((await chat.say('ada')).status).toBe(202);
      const refusedText = `refused ${randomUUID()}`;
      expectRefused(await chat.say('ada', refusedText), 'Too many messages from this contact');

      expect(logMentions(server.dataDir, accepted)).toBe(true);
      expect(logMentions(server.dataDir, refusedText)).toBe(false);
      // Reading the conversation adds nothing to it: the address limit bounds reads.
      expect((await chat.read('ada')).status).toBe(200);
      expect((await chat.say('grace')).status).toBe(202);
    });

    it('refuses a client address past its limit whichever contacts it speaks as; other addresses go on', async () => {
      const { channelId } = await newChannel(api, 'webchat');
      const chat = webchat(api, channelId, newAddress());

      for (let contact = 0; contact < 8; contact++) expect((await chat.say(`visitor-${contact}`)).status).toBe(202);
      const refusedText = `refused ${randomUUID()}`;
      expectRefused(await chat.say('visitor-8', refusedText), 'Too many web chat requests from this address');
      expectRefused(await chat.read('visitor-9'), 'Too many web chat requests from this address');

      expect(logMentions(server.dataDir, refusedText)).toBe(false);
      expect((await webchat(api, channelId, newAddress()).say('visitor-8')).status).toBe(202);
    });

    it('refuses messages to a channel past its limit, from any address and contact; other channels go on', async () => {
      const { channelId } = await newChannel(api, 'webchat');
      const say = (contactId: string, text?: string) => webchat(api, channelId, newAddress()).say(contactId, text);

      for (let contact = 0; contact < 10; contact++) expect((await say(`visitor-${contact}`)).status).toBe(202);
      const refusedText = `refused ${randomUUID()}`;
      expectRefused(await say('visitor-10', refusedText), 'Too many requests to this channel');

      expect(logMentions(server.dataDir, refusedText)).toBe(false);
      // Reading the conversation is no message to the channel: the contact and address limits bound it.
      expect((await webchat(api, channelId, newAddress()).read('visitor-0')).status).toBe(200);
      const { channelId: otherChannel } = await newChannel(api, 'webchat');
      expect((await webchat(api, otherChannel, newAddress()).say('visitor-10')).status).toBe(202);
    });
  });

  describe.each(['whatsapp', 'messenger'] as const)('on the %s webhook', (type) => {
    it('refuses deliveries and handshakes to a channel past its limit; badly signed ones spend nothing of it; other channels go on', async () => {
      const { channelId, appSecret } = await newChannel(api, type);
      const [deliveredId, refusedId] = [`m_${randomUUID()}`, `m_${randomUUID()}`];
      const handshake = (verifyToken: string, address = newAddress()) =>
        call(api, 'GET', `/webhooks/${type}/${channelId}?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=7`, {
          token: null,
          headers: from(address),
        });
      const deliver = (payload: unknown, secret: string | undefined, address = newAddress()) =>
        postWebhook(api, type, channelId, payload, secret, from(address));

      expect((await handshake('verify-me')).status).toBe(200);
      expect(await deliver(deliveryOf(type, deliveredId), appSecret)).toBe(200);
      // Each from an address of its own: none reaches the refused sign-ins of its address.
      for (let attempt = 0; attempt < 12; attempt++) {
        expect(await deliver({ forged: attempt }, 'not-the-secret')).toBe(401);
        expect((await handshake('not-the-token')).status).toBe(403);
      }
      for (let delivery = 0; delivery < 8; delivery++) expect(await deliver(deliveryOf(type, `m_${randomUUID()}`), appSecret)).toBe(200);
      const refused = await call(api, 'POST', `/webhooks/${type}/${channelId}`, { body: deliveryOf(type, refusedId), token: null });
      expectRefused(refused, 'Too many requests to this channel');
      expect((await handshake('verify-me')).status).toBe(429);

      expect(logMentions(server.dataDir, deliveredId)).toBe(true);
      expect(logMentions(server.dataDir, refusedId)).toBe(false);
      const other = await newChannel(api, type);
      expect(await postWebhook(api, type, other.channelId, deliveryOf(type, `m_${randomUUID()}`), other.appSecret)).toBe(200);
    });
  });

  describe('on the API channel', () => {
    it("refuses an adapter's requests past its channel's limit and stores nothing of what it refused; other channels go on", async () => {
      const { channelId, secret } = await newChannel(api, 'api');
      const send = (text: string, channel = channelId, token = secret) =>
        call(api, 'POST', `/channels/${channel}/api/messages`, {
          body: { contactId: 'sms:+4915100000001', text, externalId: `sms-${randomUUID()}` },
          token,
        });

      expect((await send('Hello')).status).toBe(202);
      for (let poll = 0; poll < 9; poll++)
        expect((await call(api, 'GET', `/channels/${channelId}/api/outbox`, { token: secret })).status).toBe(200);
      const refusedText = `refused ${randomUUID()}`;
      expectRefused(await send(refusedText), 'Too many requests to this channel');

      expect(logMentions(server.dataDir, refusedText)).toBe(false);
      const other = await newChannel(api, 'api');
      expect((await send('Hello', other.channelId, other.secret)).status).toBe(202);
    });
  });

  describe('on the admin and auditor API', () => {
    it('refuses a token past its limit and stores nothing of what it refused; other tokens, of the same user too, go on', async () => {
      const token = api.token('admin', undefined, 'busy-admin');
      for (let request = 0; request < 5; request++) expect((await call(api, 'GET', '/workflows', { token })).status).toBe(200);
      const refusedName = `refused ${randomUUID()}`;

      expectRefused(await call(api, 'POST', '/workflows', { body: { name: refusedName }, token }), 'Too many requests with this token');
      expectRefused(await call(api, 'GET', '/audit/events', { token }), 'Too many requests with this token');

      expect(logMentions(server.dataDir, refusedName)).toBe(false);
      expect((await call(api, 'GET', '/workflows', { token: api.token('auditor', undefined, 'busy-admin', 1800) })).status).toBe(200);
      expect((await call(api, 'GET', '/workflows', { token: api.token('admin', undefined, 'calm-admin') })).status).toBe(200);
    });
  });

  describe('on refused sign-ins', () => {
    it('refuses bearer tokens from an address past its refused ones, a valid token too; other addresses and public routes go on', async () => {
      const address = newAddress();
      const valid = api.token('admin', undefined, `admin-${randomUUID()}`);
      const attempt = (token: string, headers = from(address)) => call(api, 'GET', '/workflows', { token, headers });

      for (const guess of ['guess-1', 'guess-2', `${valid}x`]) expect((await attempt(guess)).status).toBe(401);
      const refusal = expectRefused(await attempt('guess-4'), 'Too many refused sign-ins from this address');
      expect(refusal).toBeGreaterThan(0);
      expectRefused(await attempt(valid), 'Too many refused sign-ins from this address');

      expect((await attempt(valid, from(newAddress()))).status).toBe(200);
      expect((await call(api, 'GET', '/health', { token: null, headers: from(address) })).status).toBe(200);
    });

    it("counts wrong API channel secrets the same way, so guessing a channel's secret is throttled too", async () => {
      const { channelId, secret } = await newChannel(api, 'api');
      const address = newAddress();
      const outbox = (token: string) => call(api, 'GET', `/channels/${channelId}/api/outbox`, { token, headers: from(address) });

      for (let guess = 0; guess < 3; guess++) expect((await outbox(`guess-${guess}`)).status).toBe(401);

      expectRefused(await outbox(secret), 'Too many refused sign-ins from this address');
    });

    it.each(['whatsapp', 'messenger'] as const)(
      'counts badly signed %s deliveries and wrong verify tokens the same way, a well signed delivery refused after them',
      async (type) => {
        const { channelId, appSecret } = await newChannel(api, type);
        const address = newAddress();
        const deliver = (secret: string) => postWebhook(api, type, channelId, deliveryOf(type, `m_${randomUUID()}`), secret, from(address));
        const handshake = () =>
          call(api, 'GET', `/webhooks/${type}/${channelId}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=7`, {
            token: null,
            headers: from(address),
          });

        expect(await deliver('guess-1')).toBe(401);
        expect((await handshake()).status).toBe(403);
        expect(await deliver('guess-2')).toBe(401);

        expect(await deliver(appSecret)).toBe(429);
        expect(await postWebhook(api, type, channelId, deliveryOf(type, `m_${randomUUID()}`), appSecret, from(newAddress()))).toBe(200);
      },
    );

    it('does not count a request without a token', async () => {
      const address = newAddress();
      for (let request = 0; request < 5; request++) {
        expect((await call(api, 'GET', '/workflows', { token: null, headers: from(address) })).status).toBe(401);
      }
      expect((await call(api, 'GET', '/workflows', { headers: from(address) })).status).toBe(200);
    });
  });
});

describe('Abuse limits over time, behind one proxy (TRUST_PROXY=1)', () => {
  let server: InProcessServer;
  beforeAll(async () => {
    server = await startInProcessServer(undefined, undefined, {
      rateLimits: rateLimitsWith(
        { webchatContact: { max: 2, windowMs: 2000 }, refusedSignIns: { max: 2, windowMs: MINUTE_MS } },
        { trustProxy: 1 },
      ),
    });
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('lets a refused client in again once its window has closed, as Retry-After said', async () => {
    const { channelId } = await newChannel(server.api, 'webchat');
    const chat = webchat(server.api, channelId, newAddress());
    await chat.say('ada');
    await chat.say('ada');
    const retryAfter = expectRefused(await chat.say('ada'), 'Too many messages from this contact', 2);

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));

    expect((await chat.say('ada')).status).toBe(202);
  });

  it('counts the address the proxy saw, whatever the client wrote in front of it in X-Forwarded-For', async () => {
    const client = newAddress();
    const guess = (spoofed: string, address = client) =>
      call(server.api, 'GET', '/workflows', { token: 'guess', headers: { 'x-forwarded-for': `${spoofed}, ${address}` } });

    expect((await guess(newAddress())).status).toBe(401);
    expect((await guess(newAddress())).status).toBe(401);

    expectRefused(await guess(newAddress()), 'Too many refused sign-ins from this address');
    expect((await guess(client, newAddress())).status).toBe(401);
  });
});

describe('Abuse limits turned off (RATE_LIMITS=off)', () => {
  let server: InProcessServer;
  beforeAll(async () => {
    const one = { max: 1, windowMs: MINUTE_MS };
    server = await startInProcessServer(undefined, undefined, {
      rateLimits: limitsOf({ webchatContact: one, webchatAddress: one, channelInbound: one, token: one, refusedSignIns: one }, false),
    });
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('counts and refuses nothing', async () => {
    const { api } = server;
    const { channelId } = await newChannel(api, 'webchat');
    const chat = webchat(api, channelId, newAddress());
    const token = api.token();

    for (let request = 0; request < 3; request++) {
      expect((await chat.say('ada')).status).toBe(202);
      expect((await call(api, 'GET', '/workflows', { token: 'guess' })).status).toBe(401);
      expect((await call(api, 'GET', '/workflows', { token })).status).toBe(200);
    }
  });
});

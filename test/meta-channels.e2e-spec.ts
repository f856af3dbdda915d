import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TOPIC_CHOICE_FLOW, activeSessionsOf, engineReached, eventsOfType, eventually } from './support/conversations.js';
import {
  GraphApiStandIn,
  messengerEvent,
  postWebhook,
  whatsAppButtonReply,
  whatsAppStatus,
  whatsAppText,
} from './support/graph-api-stand-in.js';
import { type Api, type InProcessServer, removeDir, startInProcessServer } from './support/test-server.js';
import { capturedOutputForSuite } from './support/suite-server.js';

/** The events of one type in the server's log, their data parsed. */

describe('WhatsApp and Messenger channels', () => {
  const graph = new GraphApiStandIn();
  let graphUrl: string;
  let server: InProcessServer;
  let api: Api;
  /** Every line the server logs, at its most talkative level, to look for secrets in. */
  const logged = capturedOutputForSuite();
  beforeAll(async () => {
    graphUrl = await graph.start();
    server = await startInProcessServer(undefined, undefined, { logLevel: 'verbose' });
    api = server.api;
  });
  afterAll(async () => {
    await server.close();
    await graph.stop();
    removeDir(server.dataDir);
  });

  const secretsUsed: string[] = [];

  /** A channel of `type` on the stand-in, with `TOPIC_CHOICE_FLOW` assigned; its secrets are fresh. */
  const channelWithFlow = async (type: 'whatsapp' | 'messenger') => {
    const secrets =
      type === 'whatsapp'
        ? { accessToken: `EAAG-wa-${randomUUID()}`, appSecret: `app-${randomUUID()}`, verifyToken: `verify-${randomUUID()}` }
        : { pageAccessToken: `EAAG-page-${randomUUID()}`, appSecret: `app-${randomUUID()}`, verifyToken: `verify-${randomUUID()}` };
    secretsUsed.push(...Object.values(secrets));
    const settings = type === 'whatsapp' ? { phoneNumberId: '106540352242922' } : { pageId: '1067280970047460' };
    const workflow = await api.request('POST', '/workflows', { body: { name: `${type} flow` } });
    await api.request('PUT', `/workflows/${workflow.body.id}/definition`, { body: { steps: TOPIC_CHOICE_FLOW } });
    const created = await api.request('POST', '/channels', {
      body: { type, name: `${type} channel`, config: { ...settings, ...secrets, apiBaseUrl: graphUrl, apiVersion: 'v21.0' } },
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['id', 'position']);
    const channelId = created.body.id as string;
    await api.request('PUT', `/channels/${channelId}/workflow`, { body: { workflowId: workflow.body.id } });
    return { channelId, workflowId: workflow.body.id as string, secrets };
  };

  describe('the verification handshake', () => {
    it('answers the challenge as plain text for the right verify token, 403 otherwise, 404 for no such channel', async () => {
      const { channelId, secrets } = await channelWithFlow('whatsapp');
      const handshake = (query: string, type = 'whatsapp', id = channelId) =>
        fetch(`${api.baseUrl}/webhooks/${type}/${id}?${query}`).then(async (response) => ({
          status: response.status,
          type: response.headers.get('content-type'),
          text: await response.text(),
        }));
      const right = await handshake(`hub.mode=subscribe&hub.verify_token=${secrets.verifyToken}&hub.challenge=1158201444`);
      expect(right).toEqual({ status: 200, type: expect.stringContaining('text/plain'), text: '1158201444' });
      expect((await handshake(`hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`)).status).toBe(403);
      expect((await handshake(`hub.mode=unsubscribe&hub.verify_token=${secrets.verifyToken}&hub.challenge=1`)).status).toBe(403);
      expect((await handshake(`hub.mode=subscribe&hub.challenge=1`)).status).toBe(403);
      expect((await handshake(`hub.mode=subscribe&hub.verify_token=${secrets.verifyToken}&hub.challenge=1`, 'messenger')).status).toBe(404);
      expect((await handshake('hub.mode=subscribe', 'whatsapp', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });
  });

  it('refuses a delivery with a missing or wrong signature (401) and records nothing', async () => {
    const { channelId, workflowId, secrets } = await channelWithFlow('whatsapp');
    const payload = whatsAppText('16505551234', 'Ada', `wamid.${randomUUID()}`, 'Hello');
    expect(await postWebhook(api, 'whatsapp', channelId, payload, undefined)).toBe(401);
    expect(await postWebhook(api, 'whatsapp', channelId, payload, 'not-the-app-secret')).toBe(401);
    const tampered = await api.request('POST', `/webhooks/whatsapp/${channelId}`, {
      rawBody: JSON.stringify(payload).replace('Hello', 'Hullo'),
      headers: { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
      token: null,
    });
    expect(tampered.status).toBe(401);
    const raw = (rawBody: string, contentType: string, appSecret?: string) =>
      api.request('POST', `/webhooks/whatsapp/${channelId}`, {
        rawBody,
        headers: {
          'content-type': contentType,
          ...(appSecret === undefined
            ? {}
            : { 'x-hub-signature-256': `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}` }),
        },
        token: null,
      });
    // Nothing about the body is answered to a sender without the signature.
    expect((await raw('{"object":', 'application/json')).status).toBe(401);
    expect((await raw('{}', 'application/json; charset=latin1')).status).toBe(401);
    const unreadable = await raw('{"object":', 'application/json', secrets.appSecret);
    expect({ status: unreadable.status, message: unreadable.body.message }).toEqual({ status: 400, message: 'The body is not valid JSON' });
    expect((await raw('{}', 'application/json; charset=latin1', secrets.appSecret)).status).toBe(415);
    const head = (await api.request('GET', '/health', { token: null })).body.logPosition;
    await engineReached(api, head);
    expect(await activeSessionsOf(api, workflowId)).toBe(0);
    expect(secrets.appSecret).toBeDefined();
  });

  it('takes deliveries as large as Meta sends (3 MiB), and refuses larger ones with 413', async () => {
    const { channelId, secrets } = await channelWithFlow('whatsapp');
    const padded = (bytes: number) => {
      const delivery = whatsAppText('16505557777', 'Ada', `wamid.${randomUUID()}`, 'Hello');
      return { ...delivery, padding: 'x'.repeat(bytes - JSON.stringify(delivery).length - 13) };
    };
    expect(JSON.stringify(padded(2_500_000)).length).toBe(2_500_000);
    expect(await postWebhook(api, 'whatsapp', channelId, padded(2_500_000), secrets.appSecret)).toBe(200);
    expect(await postWebhook(api, 'whatsapp', channelId, padded(3 * 1024 * 1024 + 1), secrets.appSecret)).toBe(413);
    // Every other body keeps the 1 MiB limit.
    const name = 'x'.repeat(1024 * 1024);
    expect((await api.request('POST', '/workflows', { body: { name } })).status).toBe(413);
  });

  it('takes from a delivery only what is addressed to the channel’s own phone number or page', async () => {
    const whatsApp = await channelWithFlow('whatsapp');
    const messenger = await channelWithFlow('messenger');
    const customer = `1650556${Math.floor(Math.random() * 10000)}`;
    const toOtherNumber = JSON.parse(
      JSON.stringify(whatsAppText(customer, 'Ada', `wamid.${randomUUID()}`, 'Hello')).replaceAll('106540352242922', '106540352249999'),
    );
    expect(await postWebhook(api, 'whatsapp', whatsApp.channelId, toOtherNumber, whatsApp.secrets.appSecret)).toBe(200);
    const toOtherPage = messengerEvent('998877665544332', customer, { message: { mid: `m_${randomUUID()}`, text: 'Hello' } });
    expect(await postWebhook(api, 'messenger', messenger.channelId, toOtherPage, messenger.secrets.appSecret)).toBe(200);
    const head = (await api.request('GET', '/health', { token: null })).body.logPosition;
    await engineReached(api, head);
    expect(await activeSessionsOf(api, whatsApp.workflowId)).toBe(0);
    expect(await activeSessionsOf(api, messenger.workflowId)).toBe(0);
    expect(graph.textsTo(customer)).toEqual([]);

    expect(
      await postWebhook(
        api,
        'whatsapp',
        whatsApp.channelId,
        whatsAppText(customer, 'Ada', `wamid.${randomUUID()}`, 'Hello'),
        whatsApp.secrets.appSecret,
      ),
    ).toBe(200);
    expect(
      await eventually(
        () => activeSessionsOf(api, whatsApp.workflowId),
        (count) => count === 1,
      ),
    ).toBe(1);
  });

  it('takes the deliveries of one contact that arrive at once in the order they were recorded', async () => {
    const { channelId, secrets } = await channelWithFlow('whatsapp');
    const customer = `1650558${Math.floor(Math.random() * 10000)}`;
    const texts = Array.from({ length: 20 }, (_, index) => `m${index + 1}`);
    const statuses = await Promise.all(
      texts.map((text) =>
        postWebhook(api, 'whatsapp', channelId, whatsAppText(customer, 'Ada', `wamid.${randomUUID()}`, text), secrets.appSecret),
      ),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
    const head = (await api.request('GET', '/health', { token: null })).body.logPosition;
    await engineReached(api, head);
    const textOf = (payload: any): string => payload.entry[0].changes[0].value.messages[0].text.body;
    const recorded = eventsOfType(server.dataDir, 'ChannelWebhookReceived')
      .filter((delivery) => delivery.channelId === channelId)
      .map((delivery) => textOf(delivery.payload));
    const received = eventsOfType(server.dataDir, 'MessageReceived')
      .filter((message) => message.channelId === channelId && message.contactId === customer)
      .map((message) => message.text);
    expect(recorded.slice().sort()).toEqual(texts.slice().sort());
    expect(received).toEqual(recorded);
  });

  it('runs a whole conversation over WhatsApp against the Graph API, choices as reply buttons', async () => {
    const { channelId, workflowId, secrets } = await channelWithFlow('whatsapp');
    const customer = `1650555${Math.floor(Math.random() * 10000)}`;
    expect(
      await postWebhook(api, 'whatsapp', channelId, whatsAppText(customer, 'Ada', `wamid.${randomUUID()}`, 'Hello'), secrets.appSecret),
    ).toBe(200);
    await eventually(
      async () => graph.textsTo(customer),
      (texts) => texts.length === 2,
    );
    const [welcome, question] = graph.requests.filter((request) => request.body.to === customer);
    expect(welcome).toEqual({
      path: '/v21.0/106540352242922/messages',
      authorization: `Bearer ${secrets.accessToken}`,
      body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: customer, type: 'text', text: { body: 'Hi Ada!' } },
    });
    expect(question.body.interactive).toEqual({
      type: 'button',
      body: { text: 'What can we do for you?' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'orders', title: 'Orders' } },
          { type: 'reply', reply: { id: 'returns', title: 'Returns' } },
        ],
      },
    });
    expect(await activeSessionsOf(api, workflowId)).toBe(1);

    await postWebhook(
      api,
      'whatsapp',
      channelId,
      whatsAppButtonReply(customer, `wamid.${randomUUID()}`, 'returns', 'Returns'),
      secrets.appSecret,
    );
    expect(
      await eventually(
        async () => graph.textsTo(customer),
        (texts) => texts.length === 3,
      ),
    ).toEqual(['Hi Ada!', 'What can we do for you?', 'Noted: returns']);
    expect(
      await eventually(
        () => activeSessionsOf(api, workflowId),
        (count) => count === 0,
      ),
    ).toBe(0);
  });

  it('runs a whole conversation over Messenger, choices as quick replies, and ignores echoes', async () => {
    const { channelId, workflowId, secrets } = await channelWithFlow('messenger');
    const psid = `12544591546${Math.floor(Math.random() * 100000)}`;
    const pageId = '1067280970047460';
    await postWebhook(
      api,
      'messenger',
      channelId,
      messengerEvent(pageId, psid, { message: { mid: `m_${randomUUID()}`, text: 'Hello' } }),
      secrets.appSecret,
    );
    await eventually(
      async () => graph.textsTo(psid),
      (texts) => texts.length === 2,
    );
    const [welcome, question] = graph.requests.filter((request) => request.body.recipient?.id === psid);
    expect(welcome).toEqual({
      path: '/v21.0/me/messages',
      authorization: `Bearer ${secrets.pageAccessToken}`,
      body: { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'Hi !' } },
    });
    expect(question.body.message.quick_replies).toEqual([
      { content_type: 'text', title: 'Orders', payload: 'orders' },
      { content_type: 'text', title: 'Returns', payload: 'returns' },
    ]);
    // The page's own message comes back as an echo: it is not the customer speaking.
    const echo = messengerEvent(pageId, pageId, {
      recipient: { id: psid },
      message: { mid: `m_${randomUUID()}`, text: 'orders', is_echo: true },
    });
    await postWebhook(api, 'messenger', channelId, echo, secrets.appSecret);
    await postWebhook(
      api,
      'messenger',
      channelId,
      messengerEvent(pageId, psid, { message: { mid: `m_${randomUUID()}`, text: 'Orders', quick_reply: { payload: 'orders' } } }),
      secrets.appSecret,
    );
    expect(
      await eventually(
        async () => graph.textsTo(psid),
        (texts) => texts.length === 3,
      ),
    ).toEqual(['Hi !', 'What can we do for you?', 'Noted: orders']);
    expect(
      await eventually(
        () => activeSessionsOf(api, workflowId),
        (count) => count === 0,
      ),
    ).toBe(0);
  });

  it('processes a delivery the provider sends twice once: one session, one reply', async () => {
    const { channelId, workflowId, secrets } = await channelWithFlow('whatsapp');
    const customer = `1650666${Math.floor(Math.random() * 10000)}`;
    const payload = whatsAppText(customer, 'Bo', `wamid.${randomUUID()}`, 'Hello');
    expect(await postWebhook(api, 'whatsapp', channelId, payload, secrets.appSecret)).toBe(200);
    expect(await postWebhook(api, 'whatsapp', channelId, payload, secrets.appSecret)).toBe(200);
    const head = (await api.request('GET', '/health', { token: null })).body.logPosition;
    await engineReached(api, head);
    await eventually(
      async () => graph.textsTo(customer),
      (texts) => texts.length === 2,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(graph.textsTo(customer)).toEqual(['Hi Bo!', 'What can we do for you?']);
    expect(await activeSessionsOf(api, workflowId)).toBe(1);
  });

  it('records a status-only delivery as a receipt, never as a message, and a status Meta delivers again once', async () => {
    const { channelId, workflowId, secrets } = await channelWithFlow('whatsapp');
    const wamid = `wamid.${randomUUID()}`;
    for (let delivery = 0; delivery < 2; delivery++) {
      expect(await postWebhook(api, 'whatsapp', channelId, whatsAppStatus('16505551234', wamid, 'delivered'), secrets.appSecret)).toBe(200);
    }
    const head = (await api.request('GET', '/health', { token: null })).body.logPosition;
    await engineReached(api, head);
    const receipts = await eventually(
      async () => eventsOfType(server.dataDir, 'DeliveryReceiptReceived').filter((receipt) => receipt.providerMessageId === wamid),
      (found) => found.length === 1,
    );
    expect(receipts[0]).toMatchObject({ channelId, status: 'delivered', contactId: '16505551234' });
    expect(await activeSessionsOf(api, workflowId)).toBe(0);
    expect(eventsOfType(server.dataDir, 'MessageReceived').filter((message) => message.channelId === channelId)).toEqual([]);
  });

  it('retries a delivery that met a 5xx and delivers it once; a 4xx is recorded as failed, never retried', async () => {
    const { channelId, secrets } = await channelWithFlow('whatsapp');
    const customer = `1650777${Math.floor(Math.random() * 10000)}`;
    graph.answerNext({ status: 500, body: { error: { message: 'Service temporarily unavailable', code: 2 } } });
    await postWebhook(api, 'whatsapp', channelId, whatsAppText(customer, 'Cy', `wamid.${randomUUID()}`, 'Hello'), secrets.appSecret);
    // The welcome is tried twice (500, then 200 a second later); the question waits behind it.
    expect(
      await eventually(
        async () => graph.textsTo(customer),
        (texts) => texts.length === 3,
        15_000,
      ),
    ).toEqual(['Hi Cy!', 'Hi Cy!', 'What can we do for you?']);
    const delivered = eventsOfType(server.dataDir, 'MessageDelivered');
    const retried = eventsOfType(server.dataDir, 'MessageDeliveryAttemptFailed');
    expect(retried).toContainEqual(expect.objectContaining({ attempt: 1, status: 500 }));
    expect(delivered.filter((event) => event.messageId === retried.at(-1).messageId)).toEqual([expect.objectContaining({ attempt: 2 })]);

    graph.answerNext({ status: 400, body: { error: { message: '(#131030) Recipient phone number not in allowed list', code: 131030 } } });
    await postWebhook(
      api,
      'whatsapp',
      channelId,
      whatsAppButtonReply(customer, `wamid.${randomUUID()}`, 'orders', 'Orders'),
      secrets.appSecret,
    );
    const failed = await eventually(
      async () => eventsOfType(server.dataDir, 'MessageDeliveryFailed'),
      (events) => events.length >= 1,
    );
    expect(failed.at(-1)).toMatchObject({
      attempt: 1,
      status: 400,
      error: expect.stringContaining('Recipient phone number not in allowed list'),
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(graph.textsTo(customer).filter((text) => text === 'Noted: orders')).toHaveLength(1);
  });

  it('stored none of the secrets of the channels above in any event or read model, nor logged one', () => {
    expect(secretsUsed.length).toBeGreaterThanOrEqual(15);
    const logs = logged.join('');
    expect(logs).toContain('Mapped {/webhooks/:channelType/:channelId, POST} route');
    for (const value of secretsUsed) expect(logs.includes(value)).toBe(false);
    const stored = readdirSync(server.dataDir)
      .filter((file) => file.startsWith('events.sqlite') || file.startsWith('read-models.sqlite'))
      .map((file) => readFileSync(join(server.dataDir, file)).toString('latin1'))
      .join('\n');
    for (const value of secretsUsed) expect(stored.includes(value)).toBe(false);
    const created = eventsOfType(server.dataDir, 'ChannelCreated').filter((event) => event.channelType !== 'webchat');
    expect(created.every((event) => typeof event.sealedSecrets === 'string' && event.sealedSecrets.startsWith('v1:'))).toBe(true);
  });
});

/**
 * Adding a channel type is one adapter and one registry line: this suite defines a throwaway
 * channel type here, in the test, registers it with the server it starts, and runs a whole
 * conversation through it over HTTP — nothing outside the adapter and its registration changes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChannelAdapter, type DeliveryOutcome, type InboundItem, type OutboundMessage, channelRegistry } from '#channels';
import { channelConfigField } from '#domain';
import { TOPIC_CHOICE_FLOW, activeSessionsOf, eventsOfType, eventually } from './support/conversations.js';
import { type Api, type InProcessServer, removeDir, startInProcessServer } from './support/test-server.js';

const SIGNATURE_HEADER = 'x-throwaway-key';

/** What the throwaway provider was asked to deliver, in order. */
const delivered: OutboundMessage[] = [];

const throwawayConfig = {
  settings: { region: channelConfigField(/^[a-z]{2}$/, 'a two-letter region').optional() },
  secrets: { signingKey: channelConfigField(/^\S{16,}$/, 'a key of 16 characters or more') },
};

/** Its webhook takes `{messages: [{from, id, text}], receipts: [{id, status}]}` signed by the key in a header. */
const throwawayAdapter: ChannelAdapter<'throwaway', typeof throwawayConfig> = {
  type: 'throwaway',
  config: throwawayConfig,
  inbound: {
    kind: 'webhook',
    answerHandshake: ({ query }, { secrets }) =>
      query.key === secrets.signingKey && typeof query.echo === 'string' ? query.echo : undefined,
    isAuthentic: ({ headers }, { secrets }) => headers[SIGNATURE_HEADER] === secrets.signingKey,
    itemsOf: (payload): InboundItem[] => {
      const { messages = [], receipts = [] } = payload as {
        messages?: { from: string; id: string; text: string }[];
        receipts?: { id: string; status: string }[];
      };
      return [
        ...messages.map(({ from, id, text }): InboundItem => ({
          kind: 'message',
          contactId: from,
          contactName: 'Ada',
          messageId: id,
          text,
        })),
        ...receipts.map(({ id, status }): InboundItem => ({ kind: 'receipt', providerMessageId: id, status })),
      ];
    },
  },
  outbound: {
    kind: 'push',
    maxTextLength: 1000,
    interactiveForms: [{ form: 'quick_replies', maxChoices: 5, maxLabelLength: 20 }],
    client: () => ({
      send: async (message): Promise<DeliveryOutcome> => {
        delivered.push(message);
        return { kind: 'delivered', providerMessageId: `tw-${delivered.length}` };
      },
    }),
  },
};

describe('a channel type registered by a test', () => {
  let server: InProcessServer;
  let api: Api;
  beforeAll(async () => {
    server = await startInProcessServer(undefined, undefined, { channels: channelRegistry.with(throwawayAdapter) });
    api = server.api;
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  const signingKey = `key-${randomUUID()}`;
  const post = (channelId: string, payload: unknown, key = signingKey) =>
    api.request('POST', `/webhooks/throwaway/${channelId}`, { body: payload, headers: { [SIGNATURE_HEADER]: key }, token: null });

  it('is created over HTTP with its own config schema, verified by its adapter, and carries a conversation both ways', async () => {
    expect(
      (await api.request('POST', '/channels', { body: { type: 'throwaway', name: 'T', config: { signingKey: 'short' } } })).body.message,
    ).toContain('config.signingKey must be a key of 16 characters or more');
    const created = await api.request('POST', '/channels', {
      body: { type: 'throwaway', name: 'Throwaway', config: { signingKey, region: 'eu' } },
    });
    expect(created.status).toBe(201);
    const channelId = created.body.id as string;
    const workflow = await api.request('POST', '/workflows', { body: { name: 'Throwaway flow' } });
    await api.request('PUT', `/workflows/${workflow.body.id}/definition`, { body: { steps: TOPIC_CHOICE_FLOW } });
    await api.request('PUT', `/channels/${channelId}/workflow`, { body: { workflowId: workflow.body.id } });

    const handshake = await api.request('GET', `/webhooks/throwaway/${channelId}?key=${signingKey}&echo=ok`, { token: null });
    expect(handshake).toEqual({ status: 200, body: 'ok' });
    expect((await api.request('GET', `/webhooks/throwaway/${channelId}?key=wrong&echo=ok`, { token: null })).status).toBe(403);
    expect((await post(channelId, { messages: [{ from: 'c-1', id: 'in-1', text: 'Hello' }] }, 'wrong')).status).toBe(401);

    expect((await post(channelId, { messages: [{ from: 'c-1', id: 'in-1', text: 'Hello' }] })).status).toBe(200);
    await eventually(
      async () => delivered.length,
      (count) => count === 2,
    );
    expect(delivered).toEqual([
      { to: 'c-1', text: 'Hi Ada!' },
      {
        to: 'c-1',
        text: 'What can we do for you?',
        choices: [
          { label: 'Orders', value: 'orders' },
          { label: 'Returns', value: 'returns' },
        ],
      },
    ]);
    expect(await activeSessionsOf(api, workflow.body.id)).toBe(1);

    // A redelivery of the first message is taken once; the choice and a receipt arrive together.
    await post(channelId, { messages: [{ from: 'c-1', id: 'in-1', text: 'Hello' }] });
    await post(channelId, { messages: [{ from: 'c-1', id: 'in-2', text: 'returns' }], receipts: [{ id: 'tw-1', status: 'read' }] });
    await eventually(
      async () => delivered.length,
      (count) => count === 3,
    );
    expect(delivered[2]).toEqual({ to: 'c-1', text: 'Noted: returns' });
    const receipts = await eventually(
      async () => eventsOfType(server.dataDir, 'DeliveryReceiptReceived'),
      (found) => found.length === 1,
    );
    expect(receipts[0]).toEqual({ channelId, providerMessageId: 'tw-1', status: 'read' });
    const deliveredIds = async () => eventsOfType(server.dataDir, 'MessageDelivered').map(({ providerMessageId }) => providerMessageId);
    expect(await eventually(deliveredIds, (ids) => ids.length === 3)).toEqual(['tw-1', 'tw-2', 'tw-3']);
  });

  it('is unknown to the service registry, and a type name no adapter has is a 404 at the webhook', async () => {
    expect(channelRegistry.find('throwaway')).toBeUndefined();
    const response = await api.request('POST', `/webhooks/fax/${randomUUID()}`, { body: {}, token: null });
    expect(response.status).toBe(404);
    const webchat = await api.request('POST', '/channels', { body: { type: 'webchat', name: 'Web' } });
    expect((await api.request('POST', `/webhooks/webchat/${webchat.body.id}`, { body: {}, token: null })).status).toBe(404);
  });
});

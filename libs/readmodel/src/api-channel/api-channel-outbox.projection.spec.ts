import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { applyEvents, recordedEvent } from '../projection.fixture.js';
import type { ReadModelStore } from '../read-model-store.port.js';
import { openTemporarySqliteReadModelStore } from '../sqlite/sqlite-read-model-store.fixture.js';
import {
  API_OUTBOX_MESSAGES_COLLECTION,
  type ApiOutboxMessageDocument,
  apiChannelOutboxProjection,
} from './api-channel-outbox.projection.js';

type Event = { type: string; data: object };

const created = (channelId: string, channelType: string, config: Record<string, unknown> = {}): Event => ({
  type: 'ChannelCreated',
  data: { channelId, workspace: 'acme', channelType, name: 'Bridge', config, sealedSecrets: 'v1:…' },
});
const started = (sessionId: string, channelId: string): Event => ({
  type: 'SessionStarted',
  data: {
    sessionId,
    workflowId: 'wf-1',
    workflowVersion: 2,
    workspace: 'acme',
    channelId,
    contactId: 'sms:+4915',
    steps: [],
    settings: {},
    startedAt: '2026-01-01T00:00:00Z',
  },
});
const sent = (sessionId: string, messageId: string, choices?: object[]): Event => ({
  type: 'MessageSent',
  data: { sessionId, messageId, stepId: 'ask', text: `text of ${messageId}`, ...(choices ? { choices } : {}) },
});
const delivered = (sessionId: string, messageId: string): Event => ({
  type: 'MessageDelivered',
  data: { sessionId, messageId, attempt: 1, providerMessageId: messageId },
});

describe('API channel outbox projection', () => {
  let store: ReadModelStore;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await openTemporarySqliteReadModelStore());
    await store.declareIndexes(apiChannelOutboxProjection.indexes);
  });
  afterEach(() => dispose());

  const project = (...events: Event[]) =>
    applyEvents(
      store,
      apiChannelOutboxProjection,
      events.map((event) => recordedEvent(event, 'acme')),
    );
  const outbox = async (channelId: string) =>
    (
      await store.list<ApiOutboxMessageDocument>(API_OUTBOX_MESSAGES_COLLECTION, {
        workspace: 'acme',
        where: { channelId },
        orderBy: 'seq',
        order: 'asc',
        limit: 100,
      })
    ).map(({ id, seq, sessionId, workflowId, contactId, choices }) => ({ id, seq, sessionId, workflowId, contactId, choices }));

  it("lists a pull-mode channel's messages in the order sent, with their session, workflow and contact", async () => {
    await project(
      created('ch-1', 'api'),
      started('s-1', 'ch-1'),
      sent('s-1', 'm-1'),
      started('s-2', 'ch-1'),
      sent('s-2', 'm-2', [{ label: 'Yes', value: 'y' }]),
      sent('s-1', 'm-3'),
    );

    expect(await outbox('ch-1')).toEqual([
      { id: 'm-1', seq: '000000000001', sessionId: 's-1', workflowId: 'wf-1', contactId: 'sms:+4915', choices: [] },
      {
        id: 'm-2',
        seq: '000000000002',
        sessionId: 's-2',
        workflowId: 'wf-1',
        contactId: 'sms:+4915',
        choices: [{ label: 'Yes', value: 'y' }],
      },
      { id: 'm-3', seq: '000000000003', sessionId: 's-1', workflowId: 'wf-1', contactId: 'sms:+4915', choices: [] },
    ]);
  });

  it('drops a message once its delivery is recorded, and keeps a message sent before its session ended', async () => {
    await project(created('ch-1', 'api'), started('s-1', 'ch-1'), sent('s-1', 'm-1'), sent('s-1', 'm-2'));
    await project({ type: 'SessionCompleted', data: { sessionId: 's-1', reason: 'finished' } }, delivered('s-1', 'm-1'));

    expect((await outbox('ch-1')).map(({ id }) => id)).toEqual(['m-2']);
  });

  it('follows neither API channels with a callback URL nor channels of other types', async () => {
    await project(created('ch-push', 'api', { callbackUrl: 'https://bridge.example/hook' }), created('ch-web', 'webchat'));
    await project(started('s-1', 'ch-push'), sent('s-1', 'm-1'), started('s-2', 'ch-web'), sent('s-2', 'm-2'));

    expect(await outbox('ch-push')).toEqual([]);
    expect(await outbox('ch-web')).toEqual([]);
  });

  it('adds a redelivered message once, in its first place', async () => {
    await project(
      created('ch-1', 'api'),
      started('s-1', 'ch-1'),
      sent('s-1', 'm-1'),
      sent('s-1', 'm-2'),
      sent('s-1', 'm-1'),
      created('ch-1', 'api'),
    );

    expect((await outbox('ch-1')).map(({ id, seq }) => [id, seq])).toEqual([
      ['m-1', '000000000001'],
      ['m-2', '000000000002'],
    ]);
  });
});

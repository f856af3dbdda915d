import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SecretBox, channelRegistry } from '#channels';
import type { EventStore, RecordedEvent } from '#eventstore';
import { DeliverOutboxCommand } from './deferred-work.commands.js';
import { DeliverOutboxHandler } from './deliver-outbox.handler.js';
import { ProcessChannelWebhookCommand } from './process-channel-webhook.command.js';
import { ProcessChannelWebhookHandler } from './process-channel-webhook.handler.js';
import { engineEventsIn, openTemporaryEventStore } from './session-engine.fixture.js';

const on = engineEventsIn('acme');
const UNREGISTERED = 'No channel adapter is registered for channel type "telegram"';

/** Appends recorded fixture events to their streams, as they were. */
const append = async (store: EventStore, ...events: RecordedEvent[]) => {
  for (const { id, type, data, metadata, streamName } of events) await store.appendToStream(streamName, [{ id, type, data, metadata }]);
};

describe('a channel type that is no longer registered', () => {
  let store: EventStore;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await openTemporaryEventStore());
  });
  afterEach(() => dispose());

  it('makes processing a webhook delivery recorded for it fail, naming the type, instead of reading nothing', async () => {
    const handler = new ProcessChannelWebhookHandler(store, channelRegistry);
    const received = on.other('webhooks-tg-1-0', 'ChannelWebhookReceived', {
      channelId: 'tg-1',
      channelType: 'telegram',
      payload: { messages: [] },
      receivedAt: '2030-01-01T00:00:00.000Z',
    });
    const command = new ProcessChannelWebhookCommand(received as ConstructorParameters<typeof ProcessChannelWebhookCommand>[0]);

    await expect(handler.execute(command)).rejects.toThrow(UNREGISTERED);
    await expect(command.completion).rejects.toThrow(UNREGISTERED);
  });

  it('makes delivering an outbox on a channel of it fail, naming the type, instead of returning quietly', async () => {
    await append(
      store,
      on.channelCreated('tg-1', 'telegram'),
      on.sessionStarted('s-1', 'wf-1', undefined, 'tg-1'),
      on.messageSent('s-1', 's-1:m:1'),
    );
    const handler = new DeliverOutboxHandler(store, SecretBox.fromBase64Key(SecretBox.generateKey()), channelRegistry, fetch);

    await expect(handler.execute(new DeliverOutboxCommand('s-1', 'acme', 'outbox:s-1'))).rejects.toThrow(UNREGISTERED);
  });
});

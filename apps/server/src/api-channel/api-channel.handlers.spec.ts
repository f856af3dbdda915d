import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ActiveChannel } from '#domain';
import { SqliteEventStore } from '#eventstore';
import { ReceiveApiChannelMessageCommand } from './api-channel.commands.js';
import { ReceiveApiChannelMessageHandler } from './api-channel.handlers.js';

const channel: ActiveChannel = {
  status: 'active',
  channelId: 'api-1',
  workspace: 'default',
  channelType: 'api',
  name: 'Adapter',
  workflowId: undefined,
  config: {},
  sealedSecrets: undefined,
  previewOf: undefined,
};

describe('ReceiveApiChannelMessageHandler', () => {
  let directory: string;
  let store: SqliteEventStore;
  let handler: ReceiveApiChannelMessageHandler;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'api-channel-handler-'));
    store = SqliteEventStore.open({ file: join(directory, 'events.sqlite') });
    handler = new ReceiveApiChannelMessageHandler(store);
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const receive = (messageId: string, earlierMessageId: string, text = 'Hello') =>
    handler.execute(new ReceiveApiChannelMessageCommand(channel, { contactId: 'sms:1', messageId, text }, earlierMessageId));

  it('records a new message once, and answers a repeat with the first answer', async () => {
    const first = await receive('m-new', 'm-earlier');
    expect(first).toEqual({ messageId: 'm-new', position: expect.any(String), repeated: false });
    expect(await receive('m-new', 'm-earlier', 'Hello again')).toEqual({ ...first, repeated: true });
    expect(await store.readStream('conversation-api-1-sms:1')).toHaveLength(1);
  });

  it('takes a message recorded under the id its externalId had before ids named the contact as a repeat', async () => {
    // As a server before the change recorded it: under the earlier id.
    const recorded = await receive('m-earlier', 'unused');
    expect(await receive('m-new', 'm-earlier')).toEqual({ messageId: 'm-earlier', position: recorded.position, repeated: true });
    expect(await store.readStream('conversation-api-1-sms:1')).toHaveLength(1);
  });
});

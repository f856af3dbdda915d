import { describe, expect, it } from '@jest/globals';
import { channelRegistry } from '../channel-registry.js';
import { jsonAnswer, useLoopbackServer } from '../http/loopback-server.fixture.js';
import { apiChannelAdapter } from './api-channel.adapter.js';

const SECRET = 'an-api-channel-secret-of-40-characters!!';

describe('the API channel adapter', () => {
  const server = useLoopbackServer();

  it('takes a secret of at least 32 characters, sealed, and an optional http(s) callbackUrl, shown', () => {
    expect(channelRegistry.validateConfig('api', { secret: SECRET, callbackUrl: 'https://bridge.example/hook?t=1' })).toEqual({
      settings: { callbackUrl: 'https://bridge.example/hook?t=1' },
      secrets: { secret: SECRET },
    });
    expect(channelRegistry.validateConfig('api', { secret: SECRET })).toEqual({ settings: {}, secrets: { secret: SECRET } });
    expect(() => channelRegistry.validateConfig('api', { secret: 'x'.repeat(31) })).toThrow(
      'config.secret must be at least 32 printable characters without spaces',
    );
    expect(() => channelRegistry.validateConfig('api', { secret: 'x'.repeat(4097) })).toThrow(
      'config.secret must be at most 4096 characters',
    );
    expect(channelRegistry.validateConfig('api', { secret: 'x'.repeat(4096) }).secrets).toEqual({ secret: 'x'.repeat(4096) });
    expect(() => channelRegistry.validateConfig('api', { secret: `${SECRET} with spaces` })).toThrow('config.secret must be');
    expect(() => channelRegistry.validateConfig('api', { secret: SECRET, callbackUrl: 'https://bridge.example/#top' })).toThrow(
      'config.callbackUrl must be an http(s) URL without fragment',
    );
  });

  it('is pushed to with a callbackUrl and pulled from without one', () => {
    expect(channelRegistry.pushesTo('api', { callbackUrl: 'https://bridge.example/hook' })).toBe(true);
    expect(channelRegistry.pushesTo('api', {})).toBe(false);
  });

  it('sends each message to the callback with its id, session and workflow, choices as data', async () => {
    server.answer = jsonAnswer(200, {});
    const { outbound } = apiChannelAdapter;
    if (outbound.kind !== 'push') throw new Error('the API channel pushes');
    const client = outbound.client(
      { channelId: 'ch-1', settings: { callbackUrl: `${server.baseUrl}/hook` }, secrets: { secret: SECRET } },
      fetch,
    );

    const outcome = await client.send(
      { to: 'sms:+4915', text: 'Pick one', choices: [{ label: 'Yes', value: 'y' }] },
      { messageId: 'm-1', sessionId: 's-1', workflowId: 'wf-1' },
    );

    expect(outcome).toEqual({ kind: 'delivered', providerMessageId: 'm-1' });
    expect(server.requests[0].body).toEqual({
      messageId: 'm-1',
      contactId: 'sms:+4915',
      text: 'Pick one',
      choices: [{ label: 'Yes', value: 'y' }],
      sessionId: 's-1',
      workflowId: 'wf-1',
    });
    expect(() => outbound.client({ channelId: 'ch-2', settings: { callbackUrl: undefined }, secrets: { secret: SECRET } }, fetch)).toThrow(
      'its messages are pulled, not pushed',
    );
  });
});

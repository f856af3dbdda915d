import { DEFINITION_LIMITS } from '#domain';
import { type ChannelAdapter, DEFAULT_DELIVERY_TIMEOUT_MS } from '../channel-adapter.port.js';
import { ApiChannelCallbackClient } from './api-channel-callback.client.js';
import { API_CHANNEL_TYPE, apiChannelConfig, isPulledFrom } from './api-channel.config.js';

/**
 * The API channel, for adapters that run outside the service (an SMS or Telegram bridge, an app):
 * they post to the channel's own endpoints with its secret (apps/server's api-channel controller),
 * and receive each message at their callbackUrl, signed — or, without one, pull them from the
 * channel's outbox. Choices go as data; the outside adapter shows them as it can.
 */
export const apiChannelAdapter: ChannelAdapter<typeof API_CHANNEL_TYPE, typeof apiChannelConfig> = {
  type: API_CHANNEL_TYPE,
  config: apiChannelConfig,
  inbound: { kind: 'direct' },
  outbound: {
    kind: 'push',
    maxTextLength: DEFINITION_LIMITS.maxTextLength,
    interactiveForms: [],
    pushes: (settings) => !isPulledFrom(settings),
    client: ({ channelId, settings, secrets }, fetchImpl) => {
      const { callbackUrl } = settings;
      // The engine pushes only to channels `pushes` accepts: a pull-mode channel here is a bug.
      if (callbackUrl === undefined) throw new Error(`API channel ${channelId} has no callbackUrl: its messages are pulled, not pushed`);
      const callbacks = new ApiChannelCallbackClient(
        { callbackUrl, secret: secrets.secret, timeoutMs: DEFAULT_DELIVERY_TIMEOUT_MS },
        fetchImpl,
      );
      return {
        send: ({ to, text, choices }, { messageId, sessionId, workflowId }) =>
          callbacks.send({ messageId, contactId: to, text, choices: choices ?? [], sessionId, workflowId }),
      };
    },
  },
};

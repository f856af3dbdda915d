import type { ChannelAdapter } from '../channel-adapter.port.js';

const webchatConfig = { settings: {}, secrets: {} };

/**
 * The service's own web chat: public, so nothing to verify — customers post to its endpoints
 * (apps/server's webchat controller) and read the bot's messages from the session's transcript.
 */
export const webchatAdapter: ChannelAdapter<'webchat', typeof webchatConfig> = {
  type: 'webchat',
  config: webchatConfig,
  inbound: { kind: 'direct' },
  outbound: { kind: 'transcript' },
};

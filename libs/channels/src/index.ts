export * from './ai-agent/ai-agent.client.js';
export * from './channel-adapter.port.js';
export * from './secrets/secret-box.js';
export * from './whatsapp/index.js';
export * from './messenger/messenger-inbound.js';
export * from './messenger/messenger-outbound.js';
export * from './meta/meta-signature.js';
export * from './push-channel-clients.js';

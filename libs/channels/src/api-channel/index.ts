export * from './api-channel-callback.client.js';
export * from './api-channel-signature.js';
export * from './api-channel.config.js';
export * from './api-channel.adapter.js';

export * from './api-channel-callback.client.js';
export * from './api-channel-signature.js';

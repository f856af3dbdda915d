export * from './whatsapp-inbound.js';
export * from './whatsapp-outbound.js';

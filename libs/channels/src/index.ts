export * from './ai-agent/ai-agent.client.js';

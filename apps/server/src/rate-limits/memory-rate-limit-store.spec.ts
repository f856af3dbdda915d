import { describeRateLimitStoreContract } from './rate-limit-store.contract.js';

// The embedded default: the library's own store, in this process's memory.
describeRateLimitStoreContract('The in-memory store', async () => ({ dispose: async () => undefined }));

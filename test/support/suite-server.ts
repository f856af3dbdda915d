import { afterAll, beforeAll } from '@jest/globals';
import { type Api, type InProcessServer, removeDir, startInProcessServer } from './test-server.js';

/** One in-process server for the enclosing suite: started before its tests, closed and removed after them. */
export const inProcessServerForSuite = (): { server: InProcessServer; api: Api } => {
  const suite = {} as { server: InProcessServer; api: Api };
  beforeAll(async () => {
    suite.server = await startInProcessServer();
    suite.api = suite.server.api;
  });
  afterAll(async () => {
    await suite.server.close();
    removeDir(suite.server.dataDir);
  });
  return suite;
};

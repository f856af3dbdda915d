import { afterAll, beforeAll } from '@jest/globals';
import type { ServerConfig } from '../../apps/server/src/app.module.js';
import { type Api, type InProcessServer, removeDir, startInProcessServer } from './test-server.js';

/** One in-process server for the enclosing suite: started before its tests, closed and removed after them; `overrides` changes its configuration. */
export const inProcessServerForSuite = (overrides: Partial<ServerConfig> = {}): { server: InProcessServer; api: Api } => {
  const suite = {} as { server: InProcessServer; api: Api };
  beforeAll(async () => {
    suite.server = await startInProcessServer(undefined, undefined, overrides);
    suite.api = suite.server.api;
  });
  afterAll(async () => {
    await suite.server.close();
    removeDir(suite.server.dataDir);
  });
  return suite;
};

/**
 * Everything written to stdout and stderr while the enclosing suite runs (a server at its most
 * talkative level logs there), to look for secrets in; the streams are put back after the suite.
 * Declare it before the hooks that start servers.
 */
export const capturedOutputForSuite = (): string[] => {
  const logged: string[] = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back on the same stream after the suite
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  beforeAll(() => {
    for (const stream of ['stdout', 'stderr'] as const) {
      process[stream].write = (chunk: string | Uint8Array) => logged.push(String(chunk)) > 0;
    }
  });
  afterAll(() => {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  });
  return logged;
};

import { afterAll, beforeAll } from '@jest/globals';
import type { ServerConfig } from '../../../apps/server/src/app.module.js';
import { type Api, type InProcessServer, removeDir, startInProcessServer, temporaryDataDir, newSecret } from '../../support/test-server.js';

export interface ConsoleServer {
  server: InProcessServer;
  api: Api;
  /** The server's base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** The sign-in link the embedded start prints, for a token of that role. */
  signInLink(role?: 'admin' | 'auditor', path?: string): string;
}

/**
 * The real server serving the built console (`dist/admin`, or CONSOLE_DIR when set: a build
 * written elsewhere), on its own data directory, for the enclosing suite.
 */
export const consoleServerForSuite = (overrides: Partial<ServerConfig> = {}): ConsoleServer => {
  const suite = {} as ConsoleServer;
  beforeAll(async () => {
    suite.server = await startInProcessServer(temporaryDataDir(), newSecret(), {
      ...(process.env.CONSOLE_DIR ? { consoleDir: process.env.CONSOLE_DIR } : {}),
      ...overrides,
    });
    suite.api = suite.server.api;
    suite.url = suite.api.baseUrl;
    suite.signInLink = (role = 'admin', path = '/') => `${suite.url}${path}?token=${suite.api.token(role)}`;
  });
  afterAll(async () => {
    await suite.server.close();
    removeDir(suite.server.dataDir);
  });
  return suite;
};

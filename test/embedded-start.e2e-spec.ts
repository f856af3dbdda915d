import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { removeDir, spawnServer, temporaryDataDir } from './support/test-server.js';

describe('embedded start without AUTH_SECRET', () => {
  const dataDir = temporaryDataDir();
  afterAll(() => removeDir(dataDir));

  it('generates a secret into DATA_DIR once and prints an admin token that works', async () => {
    const tokens: string[] = [];
    for (let start = 0; start < 2; start += 1) {
      const server = await spawnServer(dataDir, 'unused', { AUTH_SECRET: '' });
      try {
        const printed = /(eyJ[\w-]+\.[\w-]+\.[\w-]+)/.exec(server.output());
        expect(printed).not.toBeNull();
        tokens.push(printed![1]);
        // The token printed by the first start keeps working: the secret was reused, not replaced.
        for (const token of tokens) {
          const created = await server.api.request('POST', '/workflows', { body: { name: 'First' }, token });
          expect(created.status).toBe(201);
        }
      } finally {
        server.process.kill('SIGTERM');
        await server.exited;
      }
    }
    expect(existsSync(join(dataDir, 'auth-secret'))).toBe(true);
    expect(statSync(join(dataDir, 'auth-secret')).mode & 0o777).toBe(0o600);
    expect(tokens).toHaveLength(2);
  });
});

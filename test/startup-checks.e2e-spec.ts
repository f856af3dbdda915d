import { mkdirSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { closedPort, runServerUntilExit, temporaryDataDir } from './support/test-server.js';

describe('start-up checks', () => {
  it('names PORT when another process listens on it, and DATA_DIR when a file is in its way', async () => {
    const holder = createServer();
    await new Promise<void>((listening) => holder.listen(0, '127.0.0.1', listening));
    const { port } = holder.address() as AddressInfo;
    try {
      const taken = await runServerUntilExit({ PORT: String(port), HOST: '127.0.0.1' });
      expect(taken.code).toBe(1);
      expect(taken.output).toContain(`Configuration error: PORT ${port} is in use on 127.0.0.1 by another process`);
      expect(taken.output).not.toContain('    at ');
    } finally {
      holder.close();
    }
    const file = join(temporaryDataDir(), 'a-file');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '');
    const blocked = await runServerUntilExit({ DATA_DIR: file });
    expect(blocked.code).toBe(1);
    expect(blocked.output).toContain(`Configuration error: DATA_DIR ${file} cannot be used as the data folder: a file is in the way`);
    expect(blocked.output).not.toContain('    at ');
  });

  it('exits non-zero within 30 s naming EventStoreDB and its address when it cannot be reached', async () => {
    const port = await closedPort();
    const result = await runServerUntilExit({
      EVENT_STORE: 'esdb',
      ESDB_CONNECTION_STRING: `esdb://admin:changeit@127.0.0.1:${port}?tls=false`,
    });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.elapsedMs).toBeLessThan(30000);
    expect(result.output).toContain('EventStoreDB');
    expect(result.output).toContain(`127.0.0.1:${port}`);
    expect(result.output).not.toContain('changeit');
  });

  it('exits non-zero within 30 s naming MongoDB and its address when it cannot be reached', async () => {
    const port = await closedPort();
    const result = await runServerUntilExit({
      READ_MODEL: 'mongodb',
      MONGODB_URI: `mongodb://reader:s3cret@127.0.0.1:${port}/workflows?directConnection=true`,
    });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.elapsedMs).toBeLessThan(30000);
    expect(result.output).toContain('MongoDB');
    expect(result.output).toContain(`127.0.0.1:${port}`);
    expect(result.output).not.toContain('s3cret');
  });

  it.each([
    [{ EVENT_STORE: 'esdb' }, [], 'ESDB_CONNECTION_STRING'],
    // With EventStoreDB or MongoDB, processes need not share DATA_DIR: a generated secret would be each one's own.
    [
      { EVENT_STORE: 'esdb', ESDB_CONNECTION_STRING: 'esdb://127.0.0.1:1?tls=false', AUTH_SECRET: '' },
      [],
      'AUTH_SECRET must be set with EVENT_STORE=esdb',
    ],
    [
      { READ_MODEL: 'mongodb', MONGODB_URI: 'mongodb://127.0.0.1:1/workflows', CHANNEL_SECRETS_KEY: '' },
      [],
      'CHANNEL_SECRETS_KEY must be set with READ_MODEL=mongodb',
    ],
    [{ ROLES: 'web' }, [], 'ROLES'],
    [{ HOST: 'example.com' }, [], 'HOST must be an IP address'],
    // An address of the documentation range, which no machine here has.
    [{ HOST: '192.0.2.1' }, [], 'HOST 192.0.2.1 is not an address of this machine'],
    [{ AI_AGENT_TIMEOUT_MS: 'soon' }, [], 'AI_AGENT_TIMEOUT_MS must be a positive whole number'],
    [{}, ['--roles', 'api,worker'], '--roles'],
    [{}, ['--port', '1'], '--roles'],
  ])('refuses the configuration %j %j with a message naming %s', async (env, args, named) => {
    const result = await runServerUntilExit(env, args);
    expect(result.code).toBe(1);
    expect(result.output).toContain('Configuration error');
    expect(result.output).toContain(named);
  });
});

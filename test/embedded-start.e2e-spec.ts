import { existsSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { eventually } from './support/conversations.js';
import { newSecret, removeDir, spawnServer, temporaryDataDir } from './support/test-server.js';

describe('embedded start without AUTH_SECRET', () => {
  const dataDir = temporaryDataDir();
  afterAll(() => removeDir(dataDir));

  it('generates a secret into DATA_DIR once and writes an admin sign-in link there that works, never logging its token', async () => {
    const linkFile = join(dataDir, 'sign-in-link');
    const tokens: string[] = [];
    for (let start = 0; start < 2; start += 1) {
      // Its output is a pipe, not a terminal: the link goes to the file, and the log says where.
      const server = await spawnServer(dataDir, 'unused', { AUTH_SECRET: '' });
      try {
        // Written just after the line the start waits for.
        await eventually(
          async () => existsSync(linkFile) && readFileSync(linkFile, 'utf8').endsWith('\n'),
          (written) => written,
        );
        const link = /^http:\/\/localhost:\d+\/\?token=(eyJ[\w-]+\.[\w-]+\.[\w-]+)\n$/.exec(readFileSync(linkFile, 'utf8'));
        expect(link).not.toBeNull();
        expect(statSync(linkFile).mode & 0o777).toBe(0o600);
        tokens.push(link![1]);
        // Logged right after the start's own line, which is what spawnServer waits for.
        await eventually(
          async () => server.output(),
          (output) => output.includes(`The admin sign-in link (valid 12 h) is in ${linkFile}`),
        );
        expect(server.output()).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
        // Every line the server wrote is JSON.
        for (const line of server.output().trimEnd().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
        // The link written by the first start keeps working: the secret was reused, not replaced.
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

    // A start with AUTH_SECRET hands over no link, and leaves none of an earlier start behind.
    const withSecret = await spawnServer(dataDir, newSecret());
    try {
      expect(existsSync(linkFile)).toBe(false);
    } finally {
      withSecret.process.kill('SIGTERM');
      await withSecret.exited;
    }
  });

  it('creates a missing DATA_DIR open to its owner only, and every file in it readable by its owner only', async () => {
    const fresh = join(dataDir, 'fresh');
    const server = await spawnServer(fresh, 'unused', { AUTH_SECRET: '' });
    try {
      // Written just after the line the start waits for.
      await eventually(
        async () => existsSync(join(fresh, 'sign-in-link')),
        (written) => written,
      );
      const token = /\?token=(\S+)/.exec(readFileSync(join(fresh, 'sign-in-link'), 'utf8'))![1];
      const created = await server.api.request('POST', '/workflows', { body: { name: 'Private' }, token });
      expect(created.status).toBe(201);
      const files = ['events.sqlite', 'read-models.sqlite'].flatMap((file) => ['', '-wal', '-shm'].map((suffix) => `${file}${suffix}`));
      const modes = [...files, 'auth-secret', 'sign-in-link'].map((file) => [file, statSync(join(fresh, file)).mode & 0o777]);
      expect([statSync(fresh).mode & 0o777, modes]).toEqual([0o700, modes.map(([file]) => [file, 0o600])]);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });

  it('listens on the address HOST names only', async () => {
    const server = await spawnServer(dataDir, newSecret(), { HOST: '127.0.0.1' });
    try {
      expect((await server.api.request('GET', '/health', { token: null })).status).toBe(200);
      const { port } = new URL(server.api.baseUrl);
      // Every other address of this machine refuses the connection.
      const others = Object.values(networkInterfaces())
        .flat()
        .filter((address) => address !== undefined && address.family === 'IPv4' && !address.internal);
      for (const address of others) {
        const outcome = await new Promise<string>((done) => {
          const socket = connect(Number(port), address!.address);
          socket.once('connect', () => (socket.destroy(), done('connected')));
          socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
        });
        expect([address!.address, outcome]).toEqual([address!.address, 'ECONNREFUSED']);
      }
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });
});

import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { verifyJwt } from '../apps/server/src/auth/jwt.js';
import { resolveAuthSecret } from '../apps/server/src/config/auth-secret.js';
import { removeDir, temporaryDataDir } from './support/test-server.js';

const CLI = resolve('dist/apps/cli/src/main.js');

describe('cli token', () => {
  const dataDir = temporaryDataDir();
  afterAll(() => removeDir(dataDir));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir, AUTH_SECRET: '' }, encoding: 'utf8' });

  it('prints a token signed with the data directory secret that the server will accept', () => {
    const result = run('token', '--role', 'auditor', '--sub', 'alice', '--workspace', 'acme', '--ttl', '60');
    expect(result.status).toBe(0);
    const { secret } = resolveAuthSecret(undefined, dataDir);
    expect(verifyJwt(result.stdout.trim(), secret)).toEqual({ sub: 'alice', role: 'auditor', workspace: 'acme' });
  });

  it.each([
    [['token'], '--role'],
    [['token', '--role', 'owner'], '--role'],
    [['token', '--role', 'admin', '--ttl', '-5'], '--ttl'],
    [['token', '--role', 'admin', '--colour', 'red'], 'colour'],
    [['launch'], 'Unknown command'],
  ])('refuses %j with exit code 2 and usage naming %s', (args, named) => {
    const result = run(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(named);
    expect(result.stderr).toContain('Usage');
  });
});

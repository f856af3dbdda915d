import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { resolveAuthSecret, verifyJwt } from '#platform';
import { removeDir, temporaryDataDir } from './support/test-server.js';

const CLI = resolve('dist/apps/cli/src/main.js');

describe('cli token', () => {
  const dataDir = temporaryDataDir();
  afterAll(() => removeDir(dataDir));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir, AUTH_SECRET: '' }, encoding: 'utf8' });

  it('prints a token signed with the data directory secret that the server will accept', async () => {
    const result = run('token', '--role', 'auditor', '--sub', 'alice', '--workspace', 'acme', '--ttl', '60');
    expect(result.status).toBe(0);
    const { secret } = resolveAuthSecret(undefined, dataDir);
    await expect(verifyJwt(result.stdout.trim(), secret)).resolves.toEqual({ sub: 'alice', role: 'auditor', workspace: 'acme' });
  });

  it('says so on stderr when the data directory had no secret yet and it generated one', () => {
    const fresh = temporaryDataDir();
    try {
      const mint = () =>
        spawnSync(process.execPath, [CLI, 'token', '--role', 'admin'], {
          env: { ...process.env, DATA_DIR: fresh, AUTH_SECRET: '' },
          encoding: 'utf8',
        });
      const first = mint();
      expect(first.status).toBe(0);
      expect(first.stderr).toContain(`No signing secret was in ${fresh}: generated one into ${fresh}/auth-secret`);
      expect(first.stderr).not.toContain(first.stdout.trim());
      expect(mint().stderr).toBe('');
    } finally {
      removeDir(fresh);
    }
  });

  it('does not mint a token the server would refuse for living too long', () => {
    const result = run('token', '--role', 'admin', '--ttl', '86401');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--ttl: token lifetime of 86401 s exceeds the maximum of 86400 s (AUTH_MAX_TOKEN_TTL)');
    const shorter = spawnSync(process.execPath, [CLI, 'token', '--role', 'admin', '--ttl', '7200'], {
      env: { ...process.env, DATA_DIR: dataDir, AUTH_SECRET: '', AUTH_MAX_TOKEN_TTL: '3600' },
      encoding: 'utf8',
    });
    expect(shorter.status).toBe(2);
    expect(shorter.stderr).toContain('exceeds the maximum of 3600 s');
  });

  it('mints no token with a secret of its own where the servers cannot share one (EventStoreDB, MongoDB)', () => {
    const result = spawnSync(process.execPath, [CLI, 'token', '--role', 'admin'], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        AUTH_SECRET: '',
        EVENT_STORE: 'esdb',
        ESDB_CONNECTION_STRING: 'esdb://127.0.0.1:1?tls=false',
      },
      encoding: 'utf8',
    });
    expect([result.status, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toContain('Configuration error: AUTH_SECRET must be set with EVENT_STORE=esdb');
  });

  it('gives a token 12 hours without --ttl, or AUTH_MAX_TOKEN_TTL when that is shorter', () => {
    const lifetime = (env: Record<string, string>) => {
      const result = spawnSync(process.execPath, [CLI, 'token', '--role', 'admin'], {
        env: { ...process.env, DATA_DIR: dataDir, AUTH_SECRET: '', ...env },
        encoding: 'utf8',
      });
      expect([result.status, result.stderr]).toEqual([0, '']);
      const { iat, exp } = JSON.parse(Buffer.from(result.stdout.trim().split('.')[1], 'base64url').toString()) as {
        iat: number;
        exp: number;
      };
      return exp - iat;
    };
    expect(lifetime({})).toBe(43_200);
    expect(lifetime({ AUTH_MAX_TOKEN_TTL: '3600' })).toBe(3600);
  });

  const workspaceRule = '--workspace must be 1 to 64 characters of letters, digits and . _ -';
  const subRule = '--sub must be 1 to 128 characters of letters, digits and . _ @ : + | -';
  it.each([
    ['a workspace of 10,000 characters', '--workspace', 'w'.repeat(10_000), workspaceRule],
    ['a workspace with a control character', '--workspace', 'acme\u0007', workspaceRule],
    ['an empty workspace', '--workspace', '', workspaceRule],
    ['a sub with a space', '--sub', 'ann smith', subRule],
    ['a sub of 129 characters', '--sub', 's'.repeat(129), subRule],
  ])('does not mint a token the server would refuse for %s, nor repeat the value', (_case, flag, value, message) => {
    const result = run('token', '--role', 'admin', flag, value);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    if (value !== '') expect(result.stderr).not.toContain(value);
  });

  it.each([
    [['token'], '--role'],
    [['token', '--role', 'owner'], '--role'],
    [['token', '--role', 'admin', '--ttl', '-5'], '--ttl'],
    [['token', '--role', 'admin', '--colour', 'red'], 'colour'],
    [['launch'], 'Unknown command: launch'],
    [['constructor'], 'Unknown command: constructor'],
    [['toString'], 'Unknown command: toString'],
    [['--helps'], 'Unknown command: --helps'],
    [['verify', '--projection', 'cards'], "Unknown option '--projection'"],
    [['verify', 'now'], "Unexpected argument 'now'"],
    [[], 'No command given'],
  ])('refuses %j with exit code 2 and usage naming %s', (args, named) => {
    const result = run(...args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(named);
    expect(result.stderr).toContain('Usage');
  });

  it.each([
    ['--help'],
    ['-h'],
    ['help'],
    ['verify', '--help'],
    ['export', '-h'],
    ['token', '--role', 'admin', '--help'],
    ['verify', 'help'],
    ['token', 'help'],
    ['replay', 'help'],
    ['export', '--out', '-', 'help'],
  ])('prints the usage for %j to stdout and exits 0', (...asked) => {
    const result = run(...asked);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^Usage: npm run cli -- <command> \[options\]\n/);
    expect(result.stdout).toContain('export --out FILE');
  });

  it('takes help as the value of an option, not as asking for the usage', async () => {
    const result = run('token', '--role', 'admin', '--sub', 'help');
    expect(result.status).toBe(0);
    const { secret } = resolveAuthSecret(undefined, dataDir);
    await expect(verifyJwt(result.stdout.trim(), secret)).resolves.toMatchObject({ sub: 'help', role: 'admin' });
  });

  it.each([['verify'], ['export', '--out', '-'], ['replay']])(
    'refuses %j on a DATA_DIR without an event log, creating nothing',
    (...args) => {
      const missing = join(tmpdir(), `no-such-data-${randomUUID()}`);
      const result = spawnSync(process.execPath, [CLI, ...args], {
        env: { ...process.env, DATA_DIR: missing, AUTH_SECRET: '' },
        encoding: 'utf8',
      });
      expect([result.status, result.stdout]).toEqual([2, '']);
      expect(result.stderr).toContain(`No event log at ${missing}/events.sqlite: is DATA_DIR right?`);
      // A refusal, not a command given wrongly: no usage after it.
      expect(result.stderr).not.toContain('Usage');
      expect(existsSync(missing)).toBe(false);
    },
  );
});

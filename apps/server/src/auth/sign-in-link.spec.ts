import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { LogFormat } from '#platform';
import { SIGN_IN_LINK_FILE, handOverSignInLink } from './sign-in-link.js';

describe('handing over the sign-in link', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sign-in-link-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const handOver = (token: string, isTTY: boolean, logFormat?: LogFormat, dir = dataDir) => {
    const printed: string[] = [];
    const logged: { level: 'log' | 'warn'; message: string }[] = [];
    handOverSignInLink(
      { baseUrl: 'http://localhost:3000', token, validFor: '12 h' },
      { dataDir: dir, terminal: { isTTY, write: (text: string) => printed.push(text) }, logFormat },
      { log: (message) => logged.push({ level: 'log', message }), warn: (message) => logged.push({ level: 'warn', message }) },
    );
    return { printed: printed.join(''), logged };
  };
  const file = () => join(dataDir, SIGN_IN_LINK_FILE);

  it('prints the link as plain text to a terminal, and logs nothing', () => {
    const { printed, logged } = handOver('token-on-terminal', true);
    expect(printed).toContain('Open the console (admin sign-in, valid 12 h; more tokens with "npm run cli -- token"):');
    expect(printed).toContain('\nhttp://localhost:3000/?token=token-on-terminal\n');
    expect(printed).toContain('curl -H "Authorization: Bearer token-on-terminal" http://localhost:3000/workflows');
    expect(logged).toEqual([]);
    expect(existsSync(file())).toBe(false);
  });

  it('removes the link an earlier start wrote to the file when it prints the new one to a terminal', () => {
    handOver('token-of-an-earlier-start', false);
    expect(existsSync(file())).toBe(true);

    handOver('token-on-terminal', true);

    expect(existsSync(file())).toBe(false);
  });

  it('writes it to DATA_DIR/sign-in-link, readable by its owner only, and logs where it is, without the token', () => {
    const { printed, logged } = handOver('token-in-file', false);
    expect(printed).toBe('');
    expect(readFileSync(file(), 'utf8')).toBe('http://localhost:3000/?token=token-in-file\n');
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(logged).toEqual([{ level: 'log', message: expect.stringContaining(`is in ${file()}`) }]);
    expect(JSON.stringify(logged)).not.toContain('token-in-file');
  });

  it('writes the file, not the terminal, when LOG_FORMAT=json says the output is collected', () => {
    const { printed } = handOver('token-for-collector', true, 'json');
    expect(printed).toBe('');
    expect(readFileSync(file(), 'utf8')).toContain('token-for-collector');
  });

  it('replaces the link of an earlier start, owner-only again even if that file was readable by others', () => {
    handOver('first-token', false);
    chmodSync(file(), 0o644);
    writeFileSync(join(dataDir, 'events.sqlite'), '');
    handOver('second-token', false);
    expect(readFileSync(file(), 'utf8')).toBe('http://localhost:3000/?token=second-token\n');
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir).sort()).toEqual(['events.sqlite', SIGN_IN_LINK_FILE]);
  });

  it('warns, without the token, and goes on when the file cannot be written', () => {
    const { logged } = handOver('unwritten-token', false, undefined, join(dataDir, 'missing', 'dir'));
    expect(logged).toEqual([{ level: 'warn', message: expect.stringContaining('Could not write the admin sign-in link') }]);
    expect(JSON.stringify(logged)).not.toContain('unwritten-token');
  });
});

import { describe, expect, it } from '@jest/globals';
import type { LogFormat, LogLevel } from '#platform';
import { type LoadPrettifier, createServerLogger } from './server-logger.js';

/** A destination that keeps what is written; `isTTY` makes it look like a terminal. */
const collector = (isTTY = false) => {
  const lines: string[] = [];
  return { lines, destination: { isTTY, write: (line: string) => lines.push(line) } };
};

const isJson = (line: string): boolean => {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
};

const notInstalled: LoadPrettifier = () =>
  Promise.reject(Object.assign(new Error("Cannot find package 'pino-pretty'"), { code: 'ERR_MODULE_NOT_FOUND' }));

describe('the server logger', () => {
  it.each<[LogLevel, string[]]>([
    ['error', ['error']],
    ['warn', ['error', 'warn']],
    ['log', ['error', 'warn', 'info']],
    ['debug', ['error', 'warn', 'info', 'debug']],
    ['verbose', ['error', 'warn', 'info', 'debug', 'trace']],
  ])('at LOG_LEVEL=%s writes %j', async (logLevel, written) => {
    const { lines, destination } = collector();
    const logger = await createServerLogger({ logLevel, logDestination: destination });
    for (const level of ['trace', 'debug', 'info', 'warn', 'error'] as const) logger[level](`at ${level}`);
    expect(lines.map((line) => JSON.parse(line) as { level: string; msg: string })).toEqual(
      [...written].reverse().map((level) => expect.objectContaining({ level, msg: `at ${level}` })),
    );
  });

  it.each<[LogFormat | undefined, boolean, 'json' | 'pretty']>([
    [undefined, false, 'json'],
    [undefined, true, 'pretty'],
    ['json', true, 'json'],
    ['pretty', false, 'pretty'],
  ])('with LOG_FORMAT=%s and a terminal: %s, writes %s lines', async (logFormat, isTTY, expected) => {
    const { lines, destination } = collector(isTTY);
    const logger = await createServerLogger({ logLevel: 'log', logFormat, logDestination: destination });
    logger.info({ context: 'Workflows' }, 'Serving http://localhost:3000');
    expect(lines).toHaveLength(1);
    expect(isJson(lines[0])).toBe(expected === 'json');
    expect(lines[0]).toContain(expected === 'json' ? '"context":"Workflows"' : '[Workflows] Serving http://localhost:3000');
  });

  it('writes JSON when pino-pretty is not installed, saying so when LOG_FORMAT=pretty asked for it', async () => {
    const onTerminal = collector(true);
    (await createServerLogger({ logLevel: 'log', logDestination: onTerminal.destination }, notInstalled)).info('started');
    expect(onTerminal.lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['started']);
    const forced = collector(false);
    (await createServerLogger({ logLevel: 'log', logFormat: 'pretty', logDestination: forced.destination }, notInstalled)).info('started');
    expect(forced.lines.map((line) => JSON.parse(line) as { level: string; msg: string })).toEqual([
      expect.objectContaining({ level: 'warn', msg: expect.stringContaining('pino-pretty') }),
      expect.objectContaining({ level: 'info', msg: 'started' }),
    ]);
  });

  it('censors credentials and secrets should an object holding them reach a log call', async () => {
    const { lines, destination } = collector();
    const logger = await createServerLogger({ logLevel: 'verbose', logDestination: destination });
    logger.warn(
      {
        headers: { authorization: 'Bearer admin-token-1', cookie: 'session=cookie-2', 'x-hub-signature-256': 'sha256=signature-3' },
        err: { message: 'Graph API refused', headers: { authorization: 'Bearer access-token-4' } },
        config: { appSecret: 'app-secret-5', verifyToken: 'verify-token-6', accessToken: 'access-token-7', secret: 'api-secret-8' },
        token: 'token-9',
      },
      'delivery failed',
    );
    expect(lines).toHaveLength(1);
    for (const value of [
      'admin-token-1',
      'cookie-2',
      'signature-3',
      'access-token-4',
      'app-secret-5',
      'verify-token-6',
      'access-token-7',
      'api-secret-8',
      'token-9',
    ]) {
      expect(lines[0]).not.toContain(value);
    }
    expect(JSON.parse(lines[0])).toMatchObject({
      headers: { authorization: '[Redacted]' },
      config: { appSecret: '[Redacted]' },
      msg: 'delivery failed',
    });
  });

  it('logs a request as its method and route pattern, never its URL', async () => {
    const { lines, destination } = collector();
    const logger = await createServerLogger({ logLevel: 'log', logDestination: destination });
    const request = {
      method: 'GET',
      url: '/webhooks/whatsapp/c-1?hub.verify_token=verify-me',
      routeOptions: { url: '/webhooks/whatsapp/:channelId' },
    };
    logger.info({ req: request }, 'handshake');
    expect(JSON.parse(lines[0])).toMatchObject({ req: { method: 'GET', route: '/webhooks/whatsapp/:channelId' } });
    expect(lines[0]).not.toContain('verify-me');
  });
});

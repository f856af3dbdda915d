import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SecretBox } from '#channels';
import { type Role, SERVER_ROLES } from '#platform';
import type { ServerConfig } from '../../apps/server/src/app.module.js';
import { createApp } from '../../apps/server/src/create-app.js';
import { servedContract } from './openapi-contract.js';

export const temporaryDataDir = (): string => mkdtempSync(join(tmpdir(), 'workflows-e2e-'));
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** An HS256 token whose payload is exactly this JSON text, which may say what no encoder writes (`"exp":1e309`). */
export const signTestPayload = (payload: string, secret: string): string => {
  const input = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

/** An HS256 token as any issuer holding the secret would sign it; synchronous, so tests can build headers inline. */
export const signTestToken = (claims: { sub: string; role: Role; workspace?: string }, secret: string, ttlSeconds: number): string => {
  const issuedAt = Math.floor(Date.now() / 1000);
  return signTestPayload(JSON.stringify({ ...claims, iat: issuedAt, exp: issuedAt + ttlSeconds }), secret);
};

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

/**
 * The answer's status and body (parsed when it is JSON), held to the OpenAPI document: a shape
 * that drifts from it fails the test that got it.
 */
export const checkedAnswer = async <T = any>(method: string, path: string, response: Response): Promise<ApiResponse<T>> => {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  const contentType = response.headers.get('content-type');
  const problems = servedContract().problemsOf({ method, path, status: response.status, contentType, body });
  if (problems.length > 0) throw new Error(`The answer does not match docs/openapi.json:\n${problems.join('\n')}`);
  return { status: response.status, body: body as T };
};

/** `token`: undefined signs an admin's, null sends none. */
export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

/** A thin JSON client for one base URL; `as` picks the caller's token. */
export class Api {
  constructor(
    readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  token(role: Role = 'admin', workspace?: string, sub = `${role}-user`, ttlSeconds = 3600): string {
    return signTestToken({ sub, role, ...(workspace ? { workspace } : {}) }, this.secret, ttlSeconds);
  }

  /** A token signed with the server's secret whose payload is exactly `payload` (see signTestPayload). */
  tokenWithPayload(payload: string): string {
    return signTestPayload(payload, this.secret);
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    return checkedAnswer<T>(method, path, await this.fetch(method, path, options));
  }

  /** The answer as it came, headers included, for tests that look at more than status and body. */
  fetch(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? this.token() : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined = options.rawBody;
    if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    return fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
  }
}

export interface InProcessServer {
  api: Api;
  dataDir: string;
  /** The Nest application, for tests that reach into it (its event store, say). */
  app: NestFastifyApplication;
  close(): Promise<void>;
}

/**
 * The real server, in this process, on its own temporary data directory and an ephemeral port;
 * `overrides` changes its configuration (e.g. an AI agent on loopback).
 */
export const startInProcessServer = async (
  dataDir = temporaryDataDir(),
  secret = newSecret(),
  overrides: Partial<ServerConfig> = {},
): Promise<InProcessServer> => {
  const app: NestFastifyApplication = await createApp({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    authSecret: secret,
    eventStore: { kind: 'sqlite' },
    readModel: { kind: 'sqlite' },
    roles: new Set(SERVER_ROLES),
    logLevel: 'error',
    aiAgent: undefined,
    channelSecretsKey: SecretBox.generateKey(),
    // The stand-ins for Meta and the API channel's receivers listen on loopback.
    channelPrivateAddresses: 'allow',
    ...overrides,
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return {
    api: new Api(`http://127.0.0.1:${address.port}`, secret),
    dataDir,
    app,
    close: async () => {
      await app.close();
    },
  };
};

export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });

export interface ChildServer {
  api: Api;
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const SERVER_ENTRY = resolve('dist/apps/server/src/main.js');

/** The built server as its own process (`npm start`), for tests that kill it. */
export const spawnServer = async (dataDir: string, secret: string, env: Record<string, string> = {}): Promise<ChildServer> => {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      AUTH_SECRET: secret,
      LOG_LEVEL: 'log',
      // The stand-ins for Meta and the API channel's receivers listen on loopback.
      CHANNEL_PRIVATE_ADDRESSES: 'allow',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const api = new Api(`http://127.0.0.1:${port}`, secret);
  const deadline = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await api.request('GET', '/health', { token: null })).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return { api, process: child, output: () => output, exited };
};

/** A closed local port: something listened there a moment ago, nothing does now. */
export const closedPort = freePort;

/** Starts the built server and waits for it to exit by itself (or kills it at the deadline). */
export const runServerUntilExit = async (
  env: Record<string, string>,
  args: string[] = [],
  deadlineMs = 40000,
): Promise<{ code: number | null; output: string; elapsedMs: number }> => {
  const started = Date.now();
  const child = spawn(process.execPath, [SERVER_ENTRY, ...args], {
    env: {
      ...process.env,
      PORT: String(await freePort()),
      DATA_DIR: temporaryDataDir(),
      AUTH_SECRET: newSecret(),
      CHANNEL_SECRETS_KEY: SecretBox.generateKey(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
  const code = await new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
  clearTimeout(timer);
  return { code, output, elapsedMs: Date.now() - started };
};

import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll } from '@jest/globals';

export interface RecordedRequest {
  method: string | undefined;
  path: string | undefined;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  body: unknown;
}

/** What the server does with a request. */
export type Answer = (response: ServerResponse) => void;

export const jsonAnswer =
  (status: number, payload: unknown): Answer =>
  (response) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(payload));
  };

/** A body that is not JSON (or is cut short), as proxies and broken servers send. */
export const textAnswer =
  (status: number, text: string, contentType = 'text/plain'): Answer =>
  (response) => {
    response.writeHead(status, { 'Content-Type': contentType });
    response.end(text);
  };

/** An HTTP server on 127.0.0.1 that records the JSON requests it gets and answers them as told. */
export class LoopbackServer {
  readonly requests: RecordedRequest[] = [];
  /** What the server does with the next requests. */
  answer!: Answer;
  // Responses left open on purpose; destroyed on close so jest can exit.
  private readonly held: ServerResponse[] = [];
  private port = 0;
  private readonly server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      this.requests.push({ method: request.method, path: request.url, headers: request.headers, body });
      this.answer(response);
    });
  });

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Keeps the response open until the server closes: an answer that never comes, or never ends. */
  readonly hold: Answer = (response) => {
    this.held.push(response);
  };

  /** Sends a 200 and the start of a JSON body, then holds the response: a body that never ends. */
  bodyStoppingAfter(start: string): Answer {
    return (response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.write(start);
      this.hold(response);
    };
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}

/** A loopback server for the enclosing `describe`: listening before its tests, forgetting requests after each. */
export function useLoopbackServer(): LoopbackServer {
  const server = new LoopbackServer();
  beforeAll(() => server.listen());
  afterEach(() => {
    server.requests.length = 0;
  });
  afterAll(() => server.close());
  return server;
}

/** The base URL of a loopback port nothing listens on any more, so connecting is refused. */
export async function refusingBaseUrl(): Promise<string> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * A JSON client for load generators, on node:http with kept-alive connections. The load runs on
 * the same machine as the server, so what the client spends per request is taken from the
 * server: fetch (undici's web API layer) and the test client's contract checks cost about as
 * much CPU per message as the server itself spends on it.
 */
import { Agent, request } from 'node:http';
import type { WebchatClient } from '../support/conversations.js';
import type { ApiResponse } from '../support/test-server.js';

export class KeepAliveJsonClient implements WebchatClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  private readonly origin: URL;

  constructor(baseUrl: string) {
    this.origin = new URL(baseUrl);
  }

  request<T>(method: string, path: string, options: { body?: unknown; token: null }): Promise<ApiResponse<T>> {
    return this.send(method, path, options.body === undefined ? undefined : JSON.stringify(options.body));
  }

  close(): void {
    this.agent.destroy();
  }

  private send<T>(method: string, path: string, body: string | undefined): Promise<ApiResponse<T>> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          agent: this.agent,
          host: this.origin.hostname,
          port: this.origin.port,
          method,
          path,
          headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: incoming.statusCode ?? 0, body: (text === '' ? undefined : JSON.parse(text)) as T });
            } catch {
              reject(new Error(`${method} ${path}: ${incoming.statusCode} answered with a body that is not JSON`));
            }
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}

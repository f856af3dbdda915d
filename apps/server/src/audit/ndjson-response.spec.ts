import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { NDJSON_CONTENT_TYPE, writeNdjsonLines } from './ndjson-response.js';

const BATCHES = 2000;
/** About 64 KiB a batch: the whole stream (about 128 MiB) is far more than any socket buffers. */
const batch = (index: number) => Array.from({ length: 64 }, () => ({ index, padding: 'x'.repeat(1000) }));

/** A real HTTP server whose one route streams `BATCHES` batches, counting how many it was asked for. */
const startStreaming = async () => {
  const progress = { pulled: 0, finished: undefined as Promise<void> | undefined };
  async function* batches() {
    for (let index = 0; index < BATCHES; index += 1) {
      progress.pulled = index + 1;
      yield batch(index);
    }
  }
  const server = createServer((_request, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': NDJSON_CONTENT_TYPE });
    progress.finished = writeNdjsonLines(response, batches()).then(() => void response.end());
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { server, progress, port: (server.address() as AddressInfo).port };
};

const open = (port: number): Promise<IncomingMessage> =>
  new Promise((resolve, reject) => request({ port, host: '127.0.0.1', path: '/' }, resolve).on('error', reject).end());

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((closed) => server?.close(closed));
});

describe('writeNdjsonLines', () => {
  it('reads no further ahead than the client takes', async () => {
    const streaming = await startStreaming();
    server = streaming.server;
    const response = await open(streaming.port);
    response.pause();
    await settle();
    // Only what fits into the socket's buffers on both sides: a few MiB at most.
    expect(streaming.progress.pulled).toBeGreaterThan(0);
    expect(streaming.progress.pulled).toBeLessThan(BATCHES / 4);

    let lines = 0;
    let rest = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      lines += parts.length;
    });
    response.resume();
    await new Promise((ended) => response.on('end', ended));
    expect([lines, rest]).toEqual([BATCHES * 64, '']);
    expect(streaming.progress.pulled).toBe(BATCHES);
  });

  it('stops reading when the client goes away while the socket is full', async () => {
    const streaming = await startStreaming();
    server = streaming.server;
    const response = await open(streaming.port);
    response.pause();
    await settle();
    const pulledBeforeLeaving = streaming.progress.pulled;
    response.destroy();
    await streaming.progress.finished;
    expect(streaming.progress.pulled).toBeLessThanOrEqual(pulledBeforeLeaving + 1);
  });
});

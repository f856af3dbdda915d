import { randomUUID } from 'node:crypto';
import { type IncomingMessage, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EVENT_STORE, type EventStore, type NewEvent } from '#eventstore';
import { eventFixture } from '../libs/eventstore/src/event-store.contract.js';
import { type InProcessServer, removeDir, startInProcessServer } from './support/test-server.js';

/** Enough lines, of about 2 KiB each, that the export waits for a paused client long before it ends. */
const EVENTS = 4000;
const PADDING = 'x'.repeat(2000);

const paddedEvent = (index: number): NewEvent => eventFixture('AuditNoiseRecorded', { index, padding: PADDING });

/**
 * The NDJSON export when the event store fails part-way (here: it is closed, as at shutdown): the
 * transfer breaks off instead of ending as if the log were complete, and the error is logged
 * with the request id of the request's own line.
 */
describe('an NDJSON export whose store fails mid-stream', () => {
  const lines: string[] = [];
  let server: InProcessServer;
  let store: EventStore;
  beforeAll(async () => {
    server = await startInProcessServer(undefined, undefined, {
      logLevel: 'error',
      logFormat: 'json',
      logDestination: { write: (line: string) => lines.push(line) },
    });
    store = server.app.get<symbol, EventStore>(EVENT_STORE);
    for (let start = 0; start < EVENTS; start += 500) {
      await store.appendToStream(
        `audit-noise-${start / 500}`,
        Array.from({ length: 500 }, (_, offset) => paddedEvent(start + offset)),
      );
    }
  }, 60_000);
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('breaks the transfer off and logs why under the request id', async () => {
    const requestId = `export-${randomUUID()}`;
    const { port } = new URL(server.api.baseUrl);
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      request(
        {
          host: '127.0.0.1',
          port,
          path: '/audit/events.ndjson',
          headers: { authorization: `Bearer ${server.api.token('auditor')}`, 'x-request-id': requestId },
        },
        resolve,
      )
        .on('error', reject)
        .end(),
    );
    expect(response.statusCode).toBe(200);
    response.pause();
    // The export now waits for the paused client to drain the socket; the store fails meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await store.close();

    let received = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (received += chunk));
    const ending = await new Promise<string>((resolve) => {
      response.on('end', () => resolve('end'));
      response.on('aborted', () => resolve('aborted'));
      response.on('error', () => resolve('error'));
      response.resume();
    });
    expect(ending).not.toBe('end');
    expect(received.split('\n').length).toBeLessThan(EVENTS);

    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const stopped = entries.filter((entry) => String(entry.msg).startsWith('The NDJSON export stopped'));
    expect(stopped).toEqual([expect.objectContaining({ level: 'error', context: 'Audit', requestId })]);
    expect(stopped[0].msg).toContain('The SQLite event store is closed');
  });
});

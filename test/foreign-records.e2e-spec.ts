import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Api, type InProcessServer, removeDir, startInProcessServer } from './support/test-server.js';

interface LogEntry {
  level: string;
  context?: string;
  msg?: string;
}

/** What another program put into the log: it quotes no customer, but no log line may quote it either. */
const FOREIGN_DATA = 'imported by another program, not JSON';

/**
 * A row another program wrote into the server's event log, between two of the server's own
 * events: the projections and the audit log go past it, and the server says so once, in its
 * own log, without the row's data.
 */
describe('a record in the log the server did not write', () => {
  const lines: string[] = [];
  let server: InProcessServer;
  let api: Api;
  beforeAll(async () => {
    server = await startInProcessServer(undefined, undefined, {
      logLevel: 'warn',
      logFormat: 'json',
      logDestination: { write: (line: string) => lines.push(line) },
    });
    api = server.api;
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  const created = async (name: string): Promise<{ id: string; position: string }> => {
    const response = await api.request('POST', '/workflows', { body: { name } });
    expect(response.status).toBe(201);
    return response.body;
  };

  it('is skipped by every reader of the log and logged once, and the server goes on serving', async () => {
    const before = await created('Before the foreign record');
    const foreignId = randomUUID();
    const disk = new Database(join(server.dataDir, 'events.sqlite'));
    disk
      .prepare('INSERT INTO events (event_id, stream_name, revision, type, data, metadata, recorded_at) VALUES (?, ?, 0, ?, ?, ?, ?)')
      .run(foreignId, 'imported-legacy-1', 'LegacyImported', FOREIGN_DATA, '{}', new Date().toISOString());
    disk.close();
    const after = await created('After the foreign record');

    const cards = await api.request('GET', `/workflows?consistentWith=${after.position}`);
    const audit = await api.request('GET', '/audit/events?limit=1000', { token: api.token('auditor') });

    expect(cards.status).toBe(200);
    expect(cards.body.items.map((card: { id: string }) => card.id)).toEqual([after.id, before.id]);
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((event: { stream: string }) => event.stream)).toEqual([`workflow-${before.id}`, `workflow-${after.id}`]);
    const warnings = lines.map((line) => JSON.parse(line) as LogEntry).filter((entry) => entry.msg?.includes(foreignId));
    expect(warnings).toEqual([
      expect.objectContaining({ level: 'warn', context: 'EventStore', msg: expect.stringContaining('imported-legacy-1@0') }),
    ]);
    expect(lines.join('')).not.toContain(FOREIGN_DATA);
  });
});

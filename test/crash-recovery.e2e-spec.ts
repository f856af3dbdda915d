import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SqliteEventStore } from '#eventstore';
import { SqliteReadModelStore, WORKFLOW_CARDS_PROJECTION } from '#readmodel';
import { type ChildServer, newSecret, removeDir, spawnServer, temporaryDataDir } from './support/test-server.js';

/** The log and the cards checkpoint as a crashed server left them on disk. */
const onDisk = async (dataDir: string) => {
  const events = SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
  const readModel = SqliteReadModelStore.open({ file: join(dataDir, 'read-models.sqlite') });
  try {
    const checkpoint = await readModel.getCheckpoint(WORKFLOW_CARDS_PROJECTION);
    const pending = await events.readAll({ after: checkpoint });
    return { checkpoint, pendingEvents: pending.length, head: await events.headPosition() };
  } finally {
    await events.close();
    await readModel.close();
  }
};

const waitForProjection = async (server: ChildServer, position: string): Promise<void> => {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const health = (await server.api.request('GET', '/health', { token: null })).body;
    if (health.projections[WORKFLOW_CARDS_PROJECTION].position === position) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`projection did not reach ${position}`);
};

describe('kill -9 of the server', () => {
  const dataDir = temporaryDataDir();
  const secret = newSecret();
  afterAll(() => removeDir(dataDir));

  it('loses nothing acknowledged and resumes the projection from its checkpoint', async () => {
    const first = await spawnServer(dataDir, secret);
    const acknowledged: { id: string; name: string; position: string }[] = [];
    const inFlight = Array.from({ length: 150 }, (_, index) =>
      first.api
        .request('POST', '/workflows', { body: { name: `Survivor ${index}` } })
        .then((response) => {
          if (response.status === 201) acknowledged.push(response.body);
        })
        .catch(() => undefined /* the connection died with the server */),
    );
    // Kill while creates are still arriving, so some are acknowledged and some are cut off.
    while (acknowledged.length < 40) await new Promise((done) => setTimeout(done, 2));
    first.process.kill('SIGKILL');
    await first.exited;
    await Promise.all(inFlight);

    const crashed = await onDisk(dataDir);
    expect(crashed.head).toBeDefined();

    const second = await spawnServer(dataDir, secret);
    try {
      await waitForProjection(second, crashed.head!);
      const health = (await second.api.request('GET', '/health', { token: null })).body;
      // Resumed exactly after the stored checkpoint: only the events the crash left unprojected.
      expect(health.projections[WORKFLOW_CARDS_PROJECTION].appliedSinceStart).toBe(crashed.pendingEvents);

      for (const workflow of acknowledged) {
        const read = await second.api.request('GET', `/workflows/${workflow.id}?consistentWith=${workflow.position}`);
        expect(read.status).toBe(200);
        expect(read.body.name).toBe(workflow.name);
      }
      const list = await second.api.request('GET', '/workflows?limit=1000');
      const listed: string[] = list.body.items.map((card: { id: string }) => card.id);
      expect(new Set(listed).size).toBe(listed.length);
      expect(listed).toEqual(expect.arrayContaining(acknowledged.map((workflow) => workflow.id)));
    } finally {
      second.process.kill('SIGKILL');
      await second.exited;
    }

    // A clean restart with nothing new applies nothing again.
    const third = await spawnServer(dataDir, secret);
    try {
      const health = (await third.api.request('GET', '/health', { token: null })).body;
      expect(health.projections[WORKFLOW_CARDS_PROJECTION].appliedSinceStart).toBe(0);
    } finally {
      third.process.kill('SIGTERM');
      await third.exited;
    }
  });
});

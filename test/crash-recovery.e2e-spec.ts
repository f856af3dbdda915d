import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { toNewEvents } from '#engine';
import { SqliteEventStore } from '#eventstore';
import { SqliteReadModelStore, WORKFLOW_CARDS_COLLECTION, WORKFLOWS_PROJECTION } from '#readmodel';
import { type ChildServer, newSecret, removeDir, spawnServer, temporaryDataDir } from './support/test-server.js';

/** The log and the projection's checkpoint as a crashed server left them on disk. */
const onDisk = async (dataDir: string) => {
  const events = SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
  const readModel = SqliteReadModelStore.open({ file: join(dataDir, 'read-models.sqlite') });
  try {
    const checkpoint = await readModel.getCheckpoint(WORKFLOWS_PROJECTION);
    const pending = await events.readAll({ after: checkpoint });
    return { checkpoint, pendingEvents: pending.length, head: await events.headPosition() };
  } finally {
    await events.close();
    await readModel.close();
  }
};

const projectionStatus = async (server: ChildServer) =>
  (await server.api.request('GET', '/health', { token: null })).body.projections[WORKFLOWS_PROJECTION];

const waitForProjection = async (server: ChildServer, position: string): Promise<void> => {
  for (const deadline = Date.now() + 10000; Date.now() < deadline;) {
    if ((await projectionStatus(server)).position === position) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`projection did not reach ${position}`);
};

describe('kill -9 of the server', () => {
  const dataDir = temporaryDataDir();
  const secret = newSecret();
  afterAll(() => removeDir(dataDir));

  it('loses nothing acknowledged and resumes the projection exactly after its checkpoint', async () => {
    const first = await spawnServer(dataDir, secret);
    const projected = await first.api.request('POST', '/workflows', { body: { name: 'Before the lag' } });
    await first.api.request('GET', `/workflows?consistentWith=${projected.body.position}`);

    // Hold the read-model file's write lock, as a stalled disk would: the projection falls
    // behind (and keeps retrying) while the log keeps acknowledging appends.
    const blocker = new Database(join(dataDir, 'read-models.sqlite'));
    blocker.exec('BEGIN IMMEDIATE');
    const acknowledged: { id: string; name: string; position: string }[] = [projected.body];
    const inFlight = Array.from({ length: 150 }, (_, index) =>
      first.api
        .request('POST', '/workflows', { body: { name: `Survivor ${index}` } })
        .then((response) => {
          if (response.status === 201) acknowledged.push(response.body);
        })
        .catch(() => undefined /* the connection died with the server */),
    );
    // Kill while creates are still arriving, so some are acknowledged and some are cut off.
    for (const deadline = Date.now() + 15000; acknowledged.length < 40;) {
      if (Date.now() > deadline) throw new Error(`only ${acknowledged.length} creates acknowledged while the read model lagged`);
      await new Promise((done) => setTimeout(done, 2));
    }
    first.process.kill('SIGKILL');
    await first.exited;
    await Promise.all(inFlight);
    blocker.exec('ROLLBACK');
    blocker.close();

    const crashed = await onDisk(dataDir);
    expect(crashed.checkpoint).toBe(projected.body.position);
    expect(crashed.pendingEvents).toBeGreaterThanOrEqual(acknowledged.length - 1);

    const second = await spawnServer(dataDir, secret);
    try {
      await waitForProjection(second, crashed.head!);
      // Exactly the events after the stored checkpoint were applied: none twice, none skipped.
      expect((await projectionStatus(second)).appliedSinceStart).toBe(crashed.pendingEvents);

      for (const workflow of acknowledged) {
        const read = await second.api.request('GET', `/workflows/${workflow.id}?consistentWith=${workflow.position}`);
        expect(read.status).toBe(200);
        expect(read.body.name).toBe(workflow.name);
      }
      const list = await second.api.request('GET', '/workflows?limit=1000');
      const listed: string[] = list.body.items.map((card: { id: string }) => card.id);
      expect(new Set(listed).size).toBe(listed.length);
      expect(listed.length).toBe(1 + crashed.pendingEvents);
      expect(listed).toEqual(expect.arrayContaining(acknowledged.map((workflow) => workflow.id)));
    } finally {
      second.process.kill('SIGKILL');
      await second.exited;
    }

    // A restart with nothing new applies nothing again.
    const third = await spawnServer(dataDir, secret);
    try {
      expect(await projectionStatus(third)).toEqual({ position: crashed.head, appliedSinceStart: 0 });
    } finally {
      third.process.kill('SIGTERM');
      await third.exited;
    }
  });

  it('killed while it commits page after page, keeps on disk exactly the cards up to its checkpoint, and applies the rest once', async () => {
    const batchDir = temporaryDataDir();
    try {
      const created = 20_000;
      const first = await spawnServer(batchDir, secret);
      // With the read models locked, the log grows far ahead of the projection; released, the
      // projection catches up page after page — and is killed in the middle of that.
      const blocker = new Database(join(batchDir, 'read-models.sqlite'));
      blocker.exec('BEGIN IMMEDIATE');
      const log = SqliteEventStore.open({ file: join(batchDir, 'events.sqlite') });
      const context = { actor: { sub: 'test', role: 'admin' }, workspace: 'default', correlationId: 'c', causationId: 'c' };
      for (let from = 0; from < created; from += 1000) {
        await Promise.all(
          Array.from({ length: Math.min(1000, created - from) }, (_, index) => {
            const workflowId = randomUUID();
            const data = { workflowId, workspace: 'default', name: `Flow ${from + index}`, version: 1 };
            return log.appendToStream(`workflow-${workflowId}`, toNewEvents([{ type: 'WorkflowCreated', data }], context), {
              expectedRevision: 'no_stream',
            });
          }),
        );
      }
      const head = await log.headPosition();
      await log.close();

      const onDiskNow = () => {
        const file = new Database(join(batchDir, 'read-models.sqlite'), { readonly: true, fileMustExist: true });
        try {
          const checkpoint = file.prepare('SELECT position FROM checkpoints WHERE projection = ?').get(WORKFLOWS_PROJECTION) as
            { position: string } | undefined;
          const { cards } = file.prepare('SELECT count(*) AS cards FROM documents WHERE collection = ?').get(WORKFLOW_CARDS_COLLECTION) as {
            cards: number;
          };
          return { checkpoint: Number(checkpoint?.position ?? 0), cards };
        } finally {
          file.close();
        }
      };
      blocker.exec('ROLLBACK');
      blocker.close();
      for (const deadline = Date.now() + 20_000; onDiskNow().checkpoint === 0;) {
        if (Date.now() > deadline) throw new Error('the projection stored no page in time');
        await new Promise((done) => setTimeout(done, 2));
      }
      first.process.kill('SIGKILL');
      await first.exited;

      const crashed = onDiskNow();
      expect(crashed.checkpoint).toBeLessThan(created);
      // Every event up to the checkpoint created one card, and no card of a later event is there.
      expect(crashed.cards).toBe(crashed.checkpoint);

      const second = await spawnServer(batchDir, secret);
      try {
        await waitForProjection(second, head!);
        expect((await projectionStatus(second)).appliedSinceStart).toBe(created - crashed.checkpoint);
        expect(onDiskNow()).toEqual({ checkpoint: created, cards: created });
      } finally {
        second.process.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      removeDir(batchDir);
    }
    // Two server starts and 20,000 events: on a machine busy with other work this took over 30 s.
  }, 90_000);
});

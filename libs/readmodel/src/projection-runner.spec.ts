import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type NewEvent, type RecordedEvent, SqliteEventStore } from '#eventstore';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import type { ProjectionTransaction } from './read-model-store.port.js';
import { SqliteReadModelStore } from './sqlite/sqlite-read-model-store.js';
import { specEvent } from '../../../test/support/spec-events.js';

const TALLIES = 'tallies';
const WORKSPACE = 'acme';

/** Counts how often it saw each event id: a double-applied event shows as a 2. */
const tallyProjection = (name: string, failOnceOn?: string): Projection => {
  let failed = false;
  return {
    name,
    collections: [TALLIES],
    indexes: [],
    async apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
      if (event.type === failOnceOn && !failed) {
        failed = true;
        throw new Error('read model unavailable');
      }
      const tally = await tx.get<{ id: string; workspace: string; seen: number }>(TALLIES, event.id);
      tx.put(TALLIES, { id: event.id, workspace: WORKSPACE, seen: (tally?.seen ?? 0) + 1 });
    },
  };
};

const tick = (type = 'Ticked'): NewEvent => specEvent(type, WORKSPACE);

describe('ProjectionRunner', () => {
  let directory: string;
  let events: SqliteEventStore;
  let readModel: SqliteReadModelStore;
  const errors: string[] = [];
  const logger = { error: (message: string) => errors.push(message) };

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'projection-runner-'));
    events = SqliteEventStore.open({ file: join(directory, 'events.sqlite'), pollIntervalMs: 20 });
    readModel = SqliteReadModelStore.open({ file: join(directory, 'read-models.sqlite') });
    errors.length = 0;
  });

  afterEach(async () => {
    await events.close();
    await readModel.close();
    await rm(directory, { recursive: true, force: true });
  });

  const append = async (count: number, type?: string): Promise<string[]> => {
    const appended = Array.from({ length: count }, () => tick(type));
    await events.appendToStream(`ticks-${randomUUID()}`, appended);
    return appended.map((event) => event.id);
  };

  const reachesHead = async (runner: ProjectionRunner): Promise<void> => {
    const head = await events.headPosition();
    for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
      if (runner.status().position === head) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`runner stopped at ${String(runner.status().position)}, head is ${String(head)}`);
  };

  const tallies = async (ids: string[]) =>
    Promise.all(ids.map(async (id) => (await readModel.get<{ id: string; workspace: string; seen: number }>(TALLIES, id))?.seen));

  it('catches up with the log, then follows live appends, applying each event once', async () => {
    const before = await append(30);
    const runner = new ProjectionRunner(events, readModel, tallyProjection('tally'), logger);
    await runner.start();
    await reachesHead(runner);
    const live = await append(5);
    await reachesHead(runner);
    await runner.stop();

    expect(await tallies([...before, ...live])).toEqual(Array(35).fill(1));
    expect(runner.status().appliedSinceStart).toBe(35);
    expect(await readModel.getCheckpoint('tally')).toBe(await events.headPosition());
  });

  it('resumes after its stored checkpoint when started again', async () => {
    const first = new ProjectionRunner(events, readModel, tallyProjection('tally'), logger);
    await first.start();
    const early = await append(10);
    await reachesHead(first);
    await first.stop();

    const late = await append(4);
    const second = new ProjectionRunner(events, readModel, tallyProjection('tally'), logger);
    await second.start();
    await reachesHead(second);
    await second.stop();

    expect(second.status().appliedSinceStart).toBe(4);
    expect(await tallies([...early, ...late])).toEqual(Array(14).fill(1));
  });

  it('retries after a failing apply without skipping or repeating an event', async () => {
    const before = await append(3);
    const poisoned = await append(1, 'Poisoned');
    const after = await append(3);
    const runner = new ProjectionRunner(events, readModel, tallyProjection('tally', 'Poisoned'), logger);
    await runner.start();
    await reachesHead(runner);
    await runner.stop();

    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('read model unavailable');
    expect(await tallies([...before, ...poisoned, ...after])).toEqual(Array(7).fill(1));
  });

  it('commits what is ready as one page: fewer commits than events, each event applied once', async () => {
    const before = await append(1200);
    const commits: number[] = [];
    // Time never ends a batch here, so only the count limit does: under load the test holds too.
    const limits = { maxEvents: 500, maxMs: 60_000, idleMs: 100 };
    const runner = new ProjectionRunner(events, readModel, tallyProjection('tally'), logger, limits);
    runner.onCommitted((changed) => commits.push(changed.length));
    await runner.start();
    await reachesHead(runner);
    await runner.stop();

    expect(await tallies(before)).toEqual(Array(1200).fill(1));
    expect(commits.reduce((sum, changed) => sum + changed, 0)).toBe(1200);
    expect(commits).toEqual([500, 500, 200]);
  });

  it('tells listeners which documents each commit changed', async () => {
    const runner = new ProjectionRunner(events, readModel, tallyProjection('tally'), logger);
    const changed: string[] = [];
    runner.onCommitted((documents) => changed.push(...documents.map(({ collection, id }) => `${collection}/${id}`)));
    await runner.start();
    const ids = await append(3);
    await reachesHead(runner);
    await runner.stop();
    expect(changed.sort()).toEqual(ids.map((id) => `${TALLIES}/${id}`).sort());
  });

  it('writes nothing for events it ignores, and stores the checkpoint past them once the log is quiet', async () => {
    const ignoring: Projection = { ...tallyProjection('tally'), apply: async () => undefined };
    const runner = new ProjectionRunner(events, readModel, ignoring, logger);
    const commits: number[] = [];
    runner.onCommitted((changed) => commits.push(changed.length));
    await runner.start();
    await append(50, 'Ignored');
    await reachesHead(runner);
    const head = await events.headPosition();
    for (const deadline = Date.now() + 3000; (await readModel.getCheckpoint('tally')) !== head && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await runner.stop();
    expect(await readModel.getCheckpoint('tally')).toBe(head);
    expect(commits.every((changed) => changed === 0)).toBe(true);
    expect(commits.length).toBeLessThanOrEqual(1);
    expect(await readModel.get(TALLIES, 'anything')).toBeUndefined();
  });

  it('stops promptly while waiting for new events', async () => {
    const runner = new ProjectionRunner(events, readModel, tallyProjection('tally'), logger);
    await runner.start();
    const started = Date.now();
    await runner.stop();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type NewEvent, type RecordedEvent, SqliteEventStore } from '#eventstore';
import type { ReadModelStore } from '#readmodel';
import { ReactionPipeline, type ReactionPipelineSteps } from './reaction-pipeline.js';
import { openTemporaryReadModelStore } from './session-engine.fixture.js';

const PIPELINE = 'pipeline-under-test';

const newEvent = (type: string, label: string): NewEvent => ({
  id: randomUUID(),
  type,
  data: { label },
  metadata: {
    correlationId: 'c',
    causationId: 'c',
    actor: { sub: 't', role: 'system' },
    occurredAt: new Date().toISOString(),
    workspace: 'w',
  },
});

/** A promise opened by hand. */
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
};

const until = async (condition: () => boolean, timeoutMs = 3000) => {
  for (const deadline = Date.now() + timeoutMs; !condition();) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('ReactionPipeline', () => {
  let directory: string;
  let events: SqliteEventStore;
  let readModel: ReadModelStore;
  let disposeReadModel: () => Promise<void>;
  let pipeline: ReactionPipeline | undefined;
  const log: string[] = [];
  const gates = new Map<string, { opened: Promise<void>; open: () => void }>();
  let failOnce = new Set<string>();
  const commitSizes: number[] = [];

  const label = (event: RecordedEvent) => String(event.data.label);
  const steps: ReactionPipelineSteps = {
    name: PIPELINE,
    async react(event) {
      log.push(`start ${label(event)}`);
      await gates.get(label(event))?.opened;
      if (failOnce.delete(label(event))) throw Object.assign(new Error('store busy'), { code: 'SQLITE_BUSY' });
      log.push(`end ${label(event)}`);
    },
    async record(events, tx) {
      for (const event of events) if (event.type !== 'Unchanging') tx.put(PIPELINE, { id: label(event), workspace: 'w' });
      return () => {
        for (const event of events) log.push(`commit ${label(event)}`);
        commitSizes.push(events.length);
      };
    },
    isBarrier: (event) => event.type === 'Barrier',
    async reload() {
      log.push('reload');
    },
  };

  const append = (stream: string, type: string, ...labels: string[]) =>
    events.appendToStream(
      stream,
      labels.map((name) => newEvent(type, name)),
    );

  beforeEach(async () => {
    ({ store: readModel, dispose: disposeReadModel } = await openTemporaryReadModelStore());
    directory = mkdtempSync(join(tmpdir(), 'pipeline-'));
    events = SqliteEventStore.open({ file: join(directory, 'events.sqlite') });
    log.length = 0;
    commitSizes.length = 0;
    gates.clear();
    failOnce = new Set();
  });
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
    await events.close();
    rmSync(directory, { recursive: true, force: true });
    await disposeReadModel();
  });

  const start = async () => {
    pipeline = new ReactionPipeline(events, readModel, steps, { error: () => undefined });
    await pipeline.start();
  };

  it('reacts to other streams meanwhile, to one stream in order, and commits in log order', async () => {
    gates.set('a1', gate());
    await append('stream-a', 'Tick', 'a1');
    await append('stream-b', 'Tick', 'b1');
    await append('stream-a', 'Tick', 'a2');
    await start();
    await until(() => log.includes('end b1'));
    expect(log).not.toContain('start a2');
    expect(log.filter((line) => line.startsWith('commit'))).toEqual([]);
    expect(await readModel.getCheckpoint(PIPELINE)).toBeUndefined();

    gates.get('a1')?.open();
    await until(() => log.includes('commit a2'));
    expect(log.filter((line) => line.startsWith('commit'))).toEqual(['commit a1', 'commit b1', 'commit a2']);
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
    expect(await readModel.getCheckpoint(PIPELINE)).toBe(await events.headPosition());
  });

  it('commits the events whose reactions completed while an earlier one ran together with it', async () => {
    gates.set('a1', gate());
    await append('stream-a', 'Tick', 'a1');
    for (const name of ['b1', 'c1', 'd1']) await append(`stream-${name}`, 'Tick', name);
    await start();
    await until(() => log.includes('end d1'));
    gates.get('a1')?.open();
    await until(() => log.includes('commit d1'));
    expect(commitSizes).toEqual([4]);
    expect(pipeline?.status().appliedSinceStart).toBe(4);
  });

  it('runs a barrier once everything before it is committed, and everything after once it is done', async () => {
    gates.set('a1', gate());
    gates.set('x', gate());
    await append('stream-a', 'Tick', 'a1');
    await append('workflow-1', 'Barrier', 'x');
    await append('stream-b', 'Tick', 'b1');
    await start();
    await until(() => log.includes('start a1'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log).not.toContain('start x');
    gates.get('a1')?.open();
    await until(() => log.includes('start x'));
    expect(log.indexOf('start x')).toBeGreaterThan(log.indexOf('commit a1'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log).not.toContain('start b1');
    gates.get('x')?.open();
    await until(() => log.includes('commit b1'));
    expect(log.indexOf('start b1')).toBeGreaterThan(log.indexOf('end x'));
  });

  it('after a failed reaction starts again from the checkpoint, repeating only what was not committed', async () => {
    failOnce = new Set(['b1']);
    await append('stream-a', 'Tick', 'a1');
    await append('stream-b', 'Tick', 'b1');
    await append('stream-c', 'Tick', 'c1');
    await start();
    await until(() => log.includes('commit c1'), 5000);
    expect(log.filter((line) => line === 'commit a1')).toHaveLength(1);
    expect(log.filter((line) => line === 'commit b1')).toHaveLength(1);
    expect(log.filter((line) => line === 'start b1')).toHaveLength(2);
    expect(pipeline?.status()).toEqual({ position: await events.headPosition(), appliedSinceStart: 3 });
  });

  it('stores nothing for events that change nothing, and stores the checkpoint past them with the next change or once quiet', async () => {
    gates.set('g1', gate());
    await append('stream-u1', 'Unchanging', 'u1');
    await append('stream-u2', 'Unchanging', 'u2');
    await append('stream-g', 'Tick', 'g1');
    await start();
    await until(() => log.includes('commit u2'));
    expect(await readModel.getCheckpoint(PIPELINE)).toBeUndefined();
    expect(pipeline?.status().appliedSinceStart).toBe(2);

    gates.get('g1')?.open();
    await until(() => log.includes('commit g1'));
    expect(await readModel.getCheckpoint(PIPELINE)).toBe(await events.headPosition());

    await append('stream-u3', 'Unchanging', 'u3');
    await until(() => log.includes('commit u3'));
    const head = await events.headPosition();
    for (const deadline = Date.now() + 3000; (await readModel.getCheckpoint(PIPELINE)) !== head;) {
      if (Date.now() > deadline) throw new Error('the checkpoint was not stored once the log was quiet');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await readModel.get(PIPELINE, 'u3')).toBeUndefined();
  });

  it('reloads what it keeps in memory once another worker has committed further, then follows on from there alone', async () => {
    gates.set('a1', gate());
    await append('stream-a', 'Tick', 'a1');
    await append('stream-b', 'Tick', 'b1');
    await start();
    await until(() => log.includes('start a1'));
    // Another engine process reacts to both first and commits them.
    await readModel.commit(PIPELINE, { expected: undefined, next: (await events.headPosition())! }, async (tx) => {
      tx.put(PIPELINE, { id: 'a1', workspace: 'w' });
      tx.put(PIPELINE, { id: 'b1', workspace: 'w' });
    });
    gates.get('a1')?.open();
    await until(() => log.includes('reload'));
    await append('stream-c', 'Tick', 'c1');
    await until(() => log.includes('commit c1'));

    expect(log.filter((line) => line === 'reload' || line.startsWith('commit'))).toEqual(['reload', 'commit c1']);
    expect(log.filter((line) => line === 'start a1')).toHaveLength(1);
    expect(pipeline?.status().lastError).toBeUndefined();
  });

  it('follows events appended after it started', async () => {
    await start();
    await append('stream-a', 'Tick', 'late');
    await until(() => log.includes('commit late'));
  });
});

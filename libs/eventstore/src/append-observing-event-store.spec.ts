import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AppendObservingEventStore } from './append-observing-event-store.js';
import { type NewEvent, WrongExpectedRevisionError } from './event-store.port.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';
import { UpcasterRegistry, UpcastingEventStore, storedEventsOf } from './upcasting-event-store.js';

const event = (type: string): NewEvent => ({
  id: randomUUID(),
  type,
  data: {},
  metadata: {
    correlationId: 'c-1',
    causationId: 'c-1',
    actor: { sub: 'test', role: 'system' },
    occurredAt: '2026-01-01T00:00:00.000Z',
    workspace: 'acme',
  },
});

describe('AppendObservingEventStore', () => {
  let directory: string;
  let stored: SqliteEventStore;
  let store: AppendObservingEventStore;
  let told: string[][];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'append-observing-'));
    stored = SqliteEventStore.open({ file: join(directory, 'events.sqlite') });
    told = [];
    store = new AppendObservingEventStore(stored, { appended: (events) => told.push(events.map(({ type }) => type)) });
  });
  afterEach(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('tells of each acknowledged append, once it is stored', async () => {
    await store.appendToStream('workflow-1', [event('WorkflowCreated'), event('WorkflowRenamed')]);
    await store.appendToStream('workflow-2', [event('WorkflowCreated')], { expectedRevision: 'no_stream' });

    expect(told).toEqual([['WorkflowCreated', 'WorkflowRenamed'], ['WorkflowCreated']]);
    expect((await stored.readAll()).map(({ type }) => type)).toEqual(['WorkflowCreated', 'WorkflowRenamed', 'WorkflowCreated']);
  });

  it('tells nothing of an append the store refused', async () => {
    await store.appendToStream('workflow-1', [event('WorkflowCreated')]);

    await expect(store.appendToStream('workflow-1', [event('WorkflowCreated')], { expectedRevision: 'no_stream' })).rejects.toThrow(
      WrongExpectedRevisionError,
    );

    expect(told).toEqual([['WorkflowCreated']]);
  });

  it('reads, follows and compares as the store beneath it does', async () => {
    const { position } = await store.appendToStream('workflow-1', [event('WorkflowCreated')]);

    expect(await store.readAll()).toEqual(await stored.readAll());
    expect(await store.readStream('workflow-1')).toEqual(await stored.readStream('workflow-1'));
    expect(await store.headPosition()).toBe(position);
    expect(store.comparePositions(position, position)).toBe(0);
  });

  it('is seen through by storedEventsOf, upcasting beneath it or not', () => {
    const upcasting = new UpcastingEventStore(stored, new UpcasterRegistry([]));
    const observingUpcasts = new AppendObservingEventStore(upcasting, { appended: () => undefined });

    expect(storedEventsOf(store)).toBe(stored);
    expect(storedEventsOf(observingUpcasts)).toBe(stored);
  });
});

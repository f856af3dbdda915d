import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import type { RecordedEvent } from '#eventstore';
import type { Projection } from './projection.js';
import type { ReadModelStore } from './read-model-store.port.js';
import { openTemporarySqliteReadModelStore } from './sqlite/sqlite-read-model-store.fixture.js';

const START_OF_LOG = Date.UTC(2024, 0, 1);
let lastPosition = 0;

/**
 * A domain event as the event store would hand it back: next position of a shared counter, and a
 * clock that advances one second per event, so `occurredAt` differs from one event to the next.
 */
export function recordedEvent(event: { type: string; data: unknown }, workspace: string): RecordedEvent {
  lastPosition += 1;
  const at = new Date(START_OF_LOG + lastPosition * 1000).toISOString();
  return {
    id: randomUUID(),
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { sub: 'admin-1', role: 'admin' },
      occurredAt: at,
      workspace,
    },
    streamName: 'fixture',
    revision: 0,
    position: String(lastPosition).padStart(12, '0'),
    recordedAt: at,
  };
}

/** Applies `events` in one unit of work, moving the projection's checkpoint to the last of them. */
export async function applyEvents(store: ReadModelStore, projection: Projection, events: readonly RecordedEvent[]): Promise<void> {
  const last = events.at(-1);
  if (!last) return;
  const expected = await store.getCheckpoint(projection.name);
  await store.commit(projection.name, { expected, next: last.position }, async (tx) => {
    for (const event of events) await projection.apply(event, tx);
  });
}

/** Every document of `collections` in `workspace`, by collection, for comparing whole states. */
export async function documentsOf(
  store: ReadModelStore,
  workspace: string,
  collections: readonly string[],
): Promise<Record<string, unknown[]>> {
  await store.declareIndexes(collections.map((collection) => ({ collection, equals: [], orderBy: 'id' })));
  const listAll = (collection: string) => store.list(collection, { workspace, orderBy: 'id', limit: 1000 });
  return Object.fromEntries(await Promise.all(collections.map(async (collection) => [collection, await listAll(collection)])));
}

/**
 * Checks that a projection is idempotent: `events` delivered once, every one of them twice in a
 * row, and the whole history delivered again on top, must all leave the same documents.
 */
export async function expectRedeliveryToChangeNothing(
  projection: Projection,
  events: readonly RecordedEvent[],
  workspace: string,
  collections: readonly string[],
): Promise<void> {
  const [once, twice] = await Promise.all([openTemporarySqliteReadModelStore(), openTemporarySqliteReadModelStore()]);
  try {
    await applyEvents(once.store, projection, events);
    const expected = await documentsOf(once.store, workspace, collections);
    await applyEvents(
      twice.store,
      projection,
      events.flatMap((event) => [event, event]),
    );
    expect(await documentsOf(twice.store, workspace, collections)).toEqual(expected);
    await applyEvents(once.store, projection, events);
    expect(await documentsOf(once.store, workspace, collections)).toEqual(expected);
  } finally {
    await Promise.all([once.dispose(), twice.dispose()]);
  }
}

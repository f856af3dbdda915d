import type { EventStore, RecordedEvent } from '#eventstore';
import type { Projection, ReadModelStore } from '#readmodel';
import { Progress, countedEvents } from './progress.js';

const BATCH_SIZE = 500;

/**
 * Applies the whole log — or, per projection, the log up to `upTo` — to `projections` in
 * `target`, a batch of events per commit, with progress. The same pure projections the server
 * runs, so a rebuild and a live read model agree event for event.
 */
export async function rebuildProjections(
  eventStore: EventStore,
  target: ReadModelStore,
  projections: readonly Projection[],
  label: string,
  upTo: ReadonlyMap<string, string | undefined> = new Map(),
): Promise<number> {
  const progress = new Progress(label, countedEvents(await eventStore.headPosition()));
  const within = (projection: Projection, event: RecordedEvent): boolean => {
    if (!upTo.has(projection.name)) return true;
    const limit = upTo.get(projection.name);
    return limit !== undefined && eventStore.comparePositions(event.position, limit) <= 0;
  };
  let read = 0;
  for (let after: string | undefined; ;) {
    const batch = await eventStore.readAll({ after, maxCount: BATCH_SIZE });
    for (const projection of projections) {
      const events = batch.filter((event) => within(projection, event));
      const last = events.at(-1);
      if (last === undefined) continue;
      const expected = await target.getCheckpoint(projection.name);
      await target.commit(projection.name, { expected, next: last.position }, async (tx) => {
        for (const event of events) await projection.apply(event, tx);
      });
    }
    read += batch.length;
    progress.update(read);
    if (batch.length < BATCH_SIZE) break;
    after = batch.at(-1)?.position;
  }
  progress.finish(`${read.toLocaleString('en')} events applied to ${projections.map(({ name }) => name).join(', ')}`);
  return read;
}

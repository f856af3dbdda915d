import type { RecordedEvent } from '../../eventstore/src/event-store.port.js';
import type { ProjectionTransaction } from './read-model-store.port.js';

/**
 * Turns events of the global log into read-model documents. `apply` runs inside a store unit of
 * work whose checkpoint commits with the writes; it must ignore event types it does not handle and
 * be idempotent, because a replay may deliver an event it has already applied.
 */
export interface Projection {
  readonly name: string;
  apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void>;
}

/** A domain event shape (`{ type, data }`) as the event store hands it back. */
export type Recorded<Event extends { type: string; data: unknown }> = Event extends unknown
  ? RecordedEvent<Event['type'], Event['data']>
  : never;

/** Narrows a recorded event to the domain events a projection handles, judged by its type. */
export function isRecordedEventOf<Event extends { type: string; data: unknown }>(
  event: RecordedEvent<string, unknown>,
  types: ReadonlySet<string>,
): event is Recorded<Event> {
  return types.has(event.type);
}

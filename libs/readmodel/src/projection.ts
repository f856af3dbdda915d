import type { RecordedEvent } from '#eventstore';
import type { ProjectionTransaction, ReadModelIndex } from './read-model-store.port.js';

/**
 * Turns events of the global log into read-model documents. `apply` runs inside a store unit of
 * work whose checkpoint commits with the writes; it must ignore event types it does not handle and
 * be idempotent, because a replay may deliver an event it has already applied.
 */
export interface Projection {
  readonly name: string;
  /** Every collection it writes: what rebuilding it from the log replaces, and what verifying compares. */
  readonly collections: readonly string[];
  /** Every list query made on its collections: the store answers those and refuses any other. */
  readonly indexes: readonly ReadModelIndex[];
  apply(event: RecordedEvent, tx: ProjectionTransaction): Promise<void>;
}

/** The `{ type, data }` shape every domain event has. */
type DomainEventShape = { type: string; data: unknown };

/** A domain event as the event store hands it back: a union stays a union, so `switch` narrows it. */
export type Recorded<Event extends DomainEventShape> = Event extends unknown ? RecordedEvent<Event['type'], Event['data']> : never;

/**
 * Picks the events a projection handles out of the log by their type, typed as the domain events
 * they are; any other event gives `undefined`.
 */
export function recordedEventsOf<Event extends DomainEventShape>(
  ...types: Event['type'][]
): (event: RecordedEvent) => Recorded<Event> | undefined {
  const handled = new Set<string>(types);
  return (event) => (handled.has(event.type) ? (event as unknown as Recorded<Event>) : undefined);
}

/**
 * Projections whose documents are read together advance under one checkpoint, in one commit,
 * so a reader never sees one of them ahead of the other.
 */
export const combineProjections = (name: string, ...parts: readonly Projection[]): Projection => ({
  name,
  collections: parts.flatMap((part) => part.collections),
  indexes: parts.flatMap((part) => part.indexes),
  async apply(event, tx) {
    for (const part of parts) await part.apply(event, tx);
  },
});

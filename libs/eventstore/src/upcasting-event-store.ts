import type {
  AllSubscription,
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllBackwardsOptions,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from './event-store.port.js';
import { AppendObservingEventStore } from './append-observing-event-store.js';

/**
 * Turns the data of an event of `type` written at schema version `fromVersion` into the data of
 * version `fromVersion + 1`. Stored events are never rewritten: the upcast happens on every read,
 * and returns new data without changing its input (a store may hand out events it keeps in memory).
 */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: Record<string, unknown>, metadata: EventMetadata): Record<string, unknown>;
}

/** The metadata field with an event's schema version; an event without it is at version 1. */
export const SCHEMA_VERSION = 'schemaVersion';

/** The upcasters of every event type, each type's in version order: an event read is brought to its type's current version. */
export class UpcasterRegistry {
  private readonly byType = new Map<string, Upcaster[]>();

  constructor(upcasters: readonly Upcaster[]) {
    for (const upcaster of [...upcasters].sort((a, b) => a.fromVersion - b.fromVersion)) {
      const chain = this.byType.get(upcaster.type) ?? [];
      const expected = (chain.at(-1)?.fromVersion ?? 0) + 1;
      if (upcaster.fromVersion !== expected) {
        throw new Error(`The upcasters of ${upcaster.type} must go from version ${expected}, not ${upcaster.fromVersion}`);
      }
      this.byType.set(upcaster.type, [...chain, upcaster]);
    }
  }

  /** The version events of `type` are written at now. */
  currentVersion(type: string): number {
    return (this.byType.get(type)?.length ?? 0) + 1;
  }

  upcast(type: string, data: Record<string, unknown>, metadata: EventMetadata): Record<string, unknown> {
    const chain = this.byType.get(type);
    if (chain === undefined) return data;
    const stored = metadata[SCHEMA_VERSION];
    const version = typeof stored === 'number' ? stored : 1;
    return chain.slice(version - 1).reduce((upcast, upcaster) => upcaster.upcast(upcast, metadata), data);
  }
}

/**
 * The one seam every read of the log passes through (handlers, projections, the engine: whatever
 * reads the store the server opened): events come out at their type's current schema version.
 * Appends are stamped with that version once a type has upcasters, so they are not upcast again.
 * What must see the bytes as stored (hash-chain verification, export, replay) reads `stored`.
 */
export class UpcastingEventStore implements EventStore {
  constructor(
    readonly stored: EventStore,
    private readonly upcasters: UpcasterRegistry,
  ) {}

  appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult> {
    return this.stored.appendToStream(
      streamName,
      events.map((event) => this.stamped(event)),
      options,
    );
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.stored.readStream(streamName, options)).map((event) => this.current(event));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.stored.readAll(options)).map((event) => this.current(event));
  }

  async readAllBackwards(options?: ReadAllBackwardsOptions): Promise<RecordedEvent[]> {
    return (await this.stored.readAllBackwards(options)).map((event) => this.current(event));
  }

  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription {
    const subscription = this.stored.subscribeToAll(options);
    const current = (event: RecordedEvent) => this.current(event);
    return {
      unsubscribe: () => subscription.unsubscribe(),
      async *[Symbol.asyncIterator]() {
        for await (const event of subscription) yield current(event);
      },
    };
  }

  comparePositions(a: string, b: string): number {
    return this.stored.comparePositions(a, b);
  }

  headPosition(): Promise<string | undefined> {
    return this.stored.headPosition();
  }

  close(): Promise<void> {
    return this.stored.close();
  }

  private current(event: RecordedEvent): RecordedEvent {
    const data = this.upcasters.upcast(event.type, event.data, event.metadata);
    return data === event.data ? event : { ...event, data };
  }

  private stamped(event: NewEvent): NewEvent {
    const version = this.upcasters.currentVersion(event.type);
    return version === 1 ? event : { ...event, metadata: { ...event.metadata, [SCHEMA_VERSION]: version } };
  }
}

/** The store as written, beneath any upcasting (and the server's append observer): for what checks or copies stored events byte for byte. */
export const storedEventsOf = (store: EventStore): EventStore => {
  if (store instanceof AppendObservingEventStore) return storedEventsOf(store.observed);
  return store instanceof UpcastingEventStore ? store.stored : store;
};

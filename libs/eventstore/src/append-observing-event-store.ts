import type {
  AllSubscription,
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllBackwardsOptions,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from './event-store.port.js';

/** Told of every append the store acknowledged, with the events it was given. */
export interface AppendObserver {
  appended(events: readonly NewEvent[]): void;
}

/**
 * The same store, telling an observer (the server's metrics) of each acknowledged append. A
 * refused append tells nothing; an idempotent repeat of an append, which stores nothing new, is
 * told again: the observer counts appends made, not events stored.
 */
export class AppendObservingEventStore implements EventStore {
  constructor(
    readonly observed: EventStore,
    private readonly observer: AppendObserver,
  ) {}

  async appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult> {
    const result = await this.observed.appendToStream(streamName, events, options);
    this.observer.appended(events);
    return result;
  }

  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.observed.readStream(streamName, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.observed.readAll(options);
  }

  readAllBackwards(options?: ReadAllBackwardsOptions): Promise<RecordedEvent[]> {
    return this.observed.readAllBackwards(options);
  }

  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription {
    return this.observed.subscribeToAll(options);
  }

  comparePositions(a: string, b: string): number {
    return this.observed.comparePositions(a, b);
  }

  headPosition(): Promise<string | undefined> {
    return this.observed.headPosition();
  }

  close(): Promise<void> {
    return this.observed.close();
  }
}

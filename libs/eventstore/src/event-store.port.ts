/** Who caused an event: a user from the JWT, or a channel/system for automated events. */
export interface Actor {
  sub: string;
  role: string;
}

export interface EventMetadata {
  correlationId: string;
  causationId: string;
  actor: Actor;
  occurredAt: string;
  /** The tenant the event belongs to; every event carries it so the log can be filtered per workspace. */
  workspace: string;
  [key: string]: unknown;
}

/** An event about to be appended. `id` is a UUID; re-appending the same ids is idempotent. */
export interface NewEvent<Type extends string = string, Data = Record<string, unknown>> {
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data = Record<string, unknown>> extends NewEvent<Type, Data> {
  streamName: string;
  /** 0-based revision of the event inside its stream. */
  revision: number;
  /** Opaque token owned by the adapter; order positions with `EventStore.comparePositions`. */
  position: string;
  recordedAt: string;
}

/**
 * `no_stream`: the stream must not exist; `stream_exists`: it must have at least one event;
 * `any`: no check; a number: the revision of the stream's last event.
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export interface AppendResult {
  /** Revision of the last event now in the stream; -1 when it has none (an empty append to a missing stream). */
  nextExpectedRevision: number;
  /**
   * Position of the last appended event in the global log. For an empty append, the position of
   * the stream's last event, or the start of the log when the stream has none.
   */
  position: string;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: start with the first event after this position; from the beginning when absent. */
  after?: string;
  maxCount?: number;
}

export interface ReadAllBackwardsOptions {
  /** Exclusive: start with the last event before this position; from the head of the log when absent. */
  before?: string;
  maxCount?: number;
}

export interface SubscribeToAllOptions {
  /** Exclusive start position, typically the consumer's stored checkpoint. */
  after?: string;
}

/** A subscription yields every event after the start position, catching up and then following live. */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  unsubscribe(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class InvalidPositionError extends Error {
  constructor(readonly position: string) {
    super(`Not a position of this event store: ${JSON.stringify(position)}`);
    this.name = 'InvalidPositionError';
  }
}

/** The event store port: one implementation per backend, all held to `event-store.contract.ts`. */
export interface EventStore {
  appendToStream(streamName: string, events: readonly NewEvent[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult>;
  /** Events of one stream in revision order; an empty array when the stream does not exist. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of the global log in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The global log newest first: what `readAll` reads, in reverse (an auditor's latest events without reading them all). */
  readAllBackwards(options?: ReadAllBackwardsOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  /** Negative, zero or positive like a comparator; throws `InvalidPositionError` for a foreign token. */
  comparePositions(a: string, b: string): number;
  /** The position of the last event in the log, or undefined when the log is empty. */
  headPosition(): Promise<string | undefined>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

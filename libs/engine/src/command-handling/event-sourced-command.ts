import type { Decider } from '#domain';
import { type AppendResult, type EventStore, WrongExpectedRevisionError } from '#eventstore';
import { type CommandContext, type DecidedEvent, toNewEvents } from './command-context.js';
import { streamStateCacheFor, streamTurnsFor } from './stream-state.cache.js';

export interface CommandOutcome<State> {
  /** The state after the new events. */
  state: State;
  /** Position of the last new event, or of the stream's last event when nothing changed. */
  position: string | undefined;
}

/** Raised when a stream kept changing under a command that could not be retried. */
export class ConcurrentModificationError extends Error {
  constructor(readonly streamName: string) {
    super(`${streamName} was changed concurrently; reload and try again`);
    this.name = 'ConcurrentModificationError';
  }
}

/**
 * A stream's current state: from the state cached for it, reading only the events after that;
 * `revision` and `position` are those of its last event (undefined while it has none).
 */
export const loadStream = async <State, Event extends DecidedEvent>(
  store: EventStore,
  streamName: string,
  decider: Decider<State, never, Event>,
): Promise<{ state: State; revision: number | undefined; position: string | undefined }> => {
  const cache = streamStateCacheFor<State>(store, decider.evolve);
  const cached = cache.get(streamName);
  const events = await store.readStream(streamName, cached ? { fromRevision: cached.revision + 1 } : {});
  const last = events.at(-1);
  const state = events.reduce(
    (current, event) => decider.evolve(current, event as unknown as Event),
    cached?.state ?? decider.initialState(),
  );
  if (last === undefined) return { state, revision: cached?.revision, position: cached?.position };
  cache.set(streamName, { state, revision: last.revision, position: last.position });
  return { state, revision: last.revision, position: last.position };
};

/** A stream's current state, folded by its decider. */
export const loadState = async <State, Event extends DecidedEvent>(
  store: EventStore,
  streamName: string,
  decider: Decider<State, never, Event>,
): Promise<State> => (await loadStream(store, streamName, decider)).state;

export interface CommandHandlingOptions {
  /** Safe for commands whose decision depends only on the stream's state. */
  retryOnConflict: boolean;
  /** How often to decide in all when retrying; 2 unless a stream is known to be busy. */
  attempts?: number;
  /**
   * The command starts the stream (its id was just generated): decided against the initial state
   * without reading a stream that cannot hold anything, and appended expecting no stream.
   */
  startsStream?: boolean;
}

/**
 * For a stream that many write at once (a session: the customer's messages, its timers and the AI
 * agent; a conversation: its contact's messages and their routing), whose every command decides
 * from the stream alone, so that deciding again after each conflict is safe.
 */
export const RETRY_ON_BUSY_STREAM: CommandHandlingOptions = { retryOnConflict: true, attempts: 10 };

/**
 * Load, decide, append with the expected revision: `decider` decides `command` against the state
 * of stream `streamName`. A conflict means someone appended between our read and our write; when
 * `retryOnConflict` is set the command is decided again against the fresh state.
 */
export const handleEventSourcedCommand = async <State, Command, Event extends DecidedEvent>(
  store: EventStore,
  streamName: string,
  decider: Decider<State, Command, Event>,
  command: Command,
  context: CommandContext,
  options: CommandHandlingOptions,
): Promise<CommandOutcome<State>> => {
  const attempt = async (): Promise<CommandOutcome<State>> => {
    const { state, revision, position } = options.startsStream
      ? { state: decider.initialState(), revision: undefined, position: undefined }
      : await loadStream(store, streamName, decider);
    const decided = decider.decide(command, state);
    if (decided.length === 0) return { state, position };
    const after = revision ?? 'no_stream';
    const result: AppendResult = await store.appendToStream(streamName, toNewEvents(decided, context, new Date(), { streamName, after }), {
      expectedRevision: after,
    });
    const next = decided.reduce(decider.evolve, state);
    streamStateCacheFor<State>(store, decider.evolve).set(streamName, {
      state: next,
      revision: result.nextExpectedRevision,
      position: result.position,
    });
    return { state: next, position: result.position };
  };
  const attempts = options.retryOnConflict ? (options.attempts ?? 2) : 1;
  // Commands on one stream take turns in this process, so they conflict only with other processes.
  return streamTurnsFor(store).run(streamName, async () => {
    for (let attempted = 1; ; attempted++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempted >= attempts) throw new ConcurrentModificationError(streamName);
      }
    }
  });
};

/** Position of the command's events, or of the stream's last event when nothing changed. */
export const positionOf = (outcome: CommandOutcome<unknown>): string => {
  // Deciders refuse commands on streams that do not exist, so a command always has a position.
  if (outcome.position === undefined) throw new Error('A command finished on a stream without events');
  return outcome.position;
};

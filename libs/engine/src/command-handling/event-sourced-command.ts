import {
  type AppendResult,
  type EventStore,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '#eventstore';
import { type CommandContext, type DecidedEvent, toNewEvents } from './command-context.js';

/** How a stream's events fold into the state a decider needs. */
export interface StreamModel<State, Event extends DecidedEvent> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
}

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

export const loadStream = async <State, Event extends DecidedEvent>(
  store: EventStore,
  streamName: string,
  model: StreamModel<State, Event>,
): Promise<{ state: State; events: RecordedEvent[] }> => {
  const events = await store.readStream(streamName);
  const state = events.reduce(
    (current, event) => model.evolve(current, event as unknown as Event),
    model.initialState(),
  );
  return { state, events };
};

/**
 * Load, decide, append with the expected revision. A conflict means someone appended between
 * our read and our write; when `retryOnConflict` is set the command is decided once more
 * against the fresh state, which is safe for commands whose decision depends only on that state.
 */
export const handleEventSourcedCommand = async <State, Event extends DecidedEvent>(
  store: EventStore,
  streamName: string,
  model: StreamModel<State, Event>,
  decide: (state: State) => Event[],
  context: CommandContext,
  options: { retryOnConflict: boolean },
): Promise<CommandOutcome<State>> => {
  const attempt = async (): Promise<CommandOutcome<State>> => {
    const { state, events: history } = await loadStream(store, streamName, model);
    const decided = decide(state);
    const last = history.at(-1);
    if (decided.length === 0) return { state, position: last?.position };
    const result: AppendResult = await store.appendToStream(streamName, toNewEvents(decided, context), {
      expectedRevision: last ? last.revision : 'no_stream',
    });
    return { state: decided.reduce(model.evolve, state), position: result.position };
  };
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    if (!options.retryOnConflict) throw new ConcurrentModificationError(streamName);
    try {
      return await attempt();
    } catch (retryError) {
      if (retryError instanceof WrongExpectedRevisionError) throw new ConcurrentModificationError(streamName);
      throw retryError;
    }
  }
};

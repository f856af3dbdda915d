import type { EventStore } from '#eventstore';

/** A stream's state folded up to `revision`, the event at `position`. */
export interface FoldedStream<State> {
  state: State;
  revision: number;
  position: string;
}

/**
 * Folded states of the streams used lately, least recently used dropped first. A stream only ever
 * grows, so a cached state is a true prefix: a load reads just the events after its revision,
 * whoever appended them (another process too). States are never mutated, so sharing them is safe.
 */
export class StreamStateCache<State> {
  private readonly entries = new Map<string, FoldedStream<State>>();

  constructor(private readonly capacity: number) {}

  get(streamName: string): FoldedStream<State> | undefined {
    const entry = this.entries.get(streamName);
    if (entry !== undefined) {
      this.entries.delete(streamName);
      this.entries.set(streamName, entry);
    }
    return entry;
  }

  /** Keeps `entry` unless the cache already has the stream at a later revision. */
  set(streamName: string, entry: FoldedStream<State>): void {
    const known = this.entries.get(streamName);
    if (known !== undefined && known.revision > entry.revision) return;
    this.entries.delete(streamName);
    this.entries.set(streamName, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** Streams of each kind (fold) whose folded state a process keeps, per event store. */
const CAPACITY_PER_FOLD = 4096;
const caches = new WeakMap<EventStore, WeakMap<object, StreamStateCache<unknown>>>();

/**
 * The cache of the streams folded by `evolve` read from `store`: another store's streams never mix
 * in. Keyed by the fold, not by the decider object: variants of a decider that decide differently
 * fold their streams alike.
 */
export function streamStateCacheFor<State>(store: EventStore, evolve: object): StreamStateCache<State> {
  let byFold = caches.get(store);
  if (byFold === undefined) caches.set(store, (byFold = new WeakMap()));
  let cache = byFold.get(evolve);
  if (cache === undefined) byFold.set(evolve, (cache = new StreamStateCache(CAPACITY_PER_FOLD)));
  return cache as StreamStateCache<State>;
}

/**
 * Runs `work` for one stream after the work queued before it for the same stream: commands on one
 * stream in one process take turns instead of conflicting on its revision.
 */
export class StreamTurns {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<Result>(streamName: string, work: () => Promise<Result>): Promise<Result> {
    const previous = this.tails.get(streamName) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(streamName, tail);
    void tail.then(() => {
      if (this.tails.get(streamName) === tail) this.tails.delete(streamName);
    });
    return result;
  }
}

const turns = new WeakMap<EventStore, StreamTurns>();

export function streamTurnsFor(store: EventStore): StreamTurns {
  let found = turns.get(store);
  if (found === undefined) turns.set(store, (found = new StreamTurns()));
  return found;
}

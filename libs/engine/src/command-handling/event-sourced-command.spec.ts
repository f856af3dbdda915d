import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Decider } from '#domain';
import { SqliteEventStore } from '#eventstore';
import { type CommandContext, toNewEvents } from './command-context.js';
import { ConcurrentModificationError, handleEventSourcedCommand, loadStream } from './event-sourced-command.js';

interface Counted {
  type: 'Counted';
  data: { by: number };
}
/** A counter whose commands are the decisions themselves, so that each test says what is decided. */
const counter: Decider<number, (total: number) => Counted[], Counted> = {
  decide: (decision, total) => decision(total),
  initialState: () => 0,
  evolve: (total, event) => total + event.data.by,
};
const context: CommandContext = {
  actor: { sub: 'tester', role: 'admin' },
  workspace: 'acme',
  correlationId: 'request-1',
  causationId: 'request-1',
};
const count = (by: number): Counted => ({ type: 'Counted', data: { by } });

describe('handleEventSourcedCommand', () => {
  let directory: string;
  let store: SqliteEventStore;
  let stream: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'command-'));
    store = SqliteEventStore.open({ file: join(directory, 'events.sqlite') });
    stream = `counter-${randomUUID()}`;
  });
  afterEach(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  /** A decider that lets another writer slip in between the read and the append, `times` times. */
  const racedDecider = (times: number, decide: (total: number) => Counted[]) => {
    let races = 0;
    const seen: number[] = [];
    return {
      seen,
      decide: (total: number): Counted[] => {
        seen.push(total);
        if (races < times) {
          races += 1;
          void store.appendToStream(stream, toNewEvents([count(100)], context));
        }
        return decide(total);
      },
    };
  };

  it('appends the decided events with their metadata and returns the new state and position', async () => {
    const outcome = await handleEventSourcedCommand(store, stream, counter, () => [count(2), count(3)], context, {
      retryOnConflict: false,
    });
    expect(outcome.state).toBe(5);
    const stored = await store.readStream(stream);
    expect(stored.map((event) => event.data)).toEqual([{ by: 2 }, { by: 3 }]);
    expect(stored[0].metadata).toMatchObject({ actor: context.actor, workspace: 'acme', correlationId: 'request-1' });
    expect(outcome.position).toBe(stored[1].position);
  });

  it('answers the last position and appends nothing when the decider decides nothing', async () => {
    await store.appendToStream(stream, toNewEvents([count(1)], context));
    const outcome = await handleEventSourcedCommand(store, stream, counter, () => [], context, { retryOnConflict: false });
    expect(outcome).toEqual({ state: 1, position: (await store.readStream(stream))[0].position });
  });

  it('decides once more against the fresh stream after a concurrent append, when retrying is safe', async () => {
    await store.appendToStream(stream, toNewEvents([count(1)], context));
    const raced = racedDecider(1, () => [count(1)]);
    const outcome = await handleEventSourcedCommand(store, stream, counter, raced.decide, context, {
      retryOnConflict: true,
    });
    expect(raced.seen).toEqual([1, 101]);
    expect(outcome.state).toBe(102);
    expect((await store.readStream(stream)).map((event) => event.data.by)).toEqual([1, 100, 1]);
  });

  it('gives up with ConcurrentModificationError when retrying is not safe, appending nothing of its own', async () => {
    const raced = racedDecider(1, () => [count(1)]);
    await expect(
      handleEventSourcedCommand(store, stream, counter, raced.decide, context, { retryOnConflict: false }),
    ).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect((await store.readStream(stream)).map((event) => event.data.by)).toEqual([100]);
  });

  it('starts a stream from the initial state, and refuses to start one that holds events', async () => {
    const started = await handleEventSourcedCommand(store, stream, counter, (total) => [count(total + 7)], context, {
      retryOnConflict: false,
      startsStream: true,
    });
    expect(started.state).toBe(7);
    expect((await loadStream(store, stream, counter)).state).toBe(7);
    await expect(
      handleEventSourcedCommand(store, stream, counter, (total) => [count(total + 1)], context, {
        retryOnConflict: false,
        startsStream: true,
      }),
    ).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect((await store.readStream(stream)).map((event) => event.data.by)).toEqual([7]);
  });

  it('retries only once', async () => {
    const raced = racedDecider(2, () => [count(1)]);
    await expect(
      handleEventSourcedCommand(store, stream, counter, raced.decide, context, { retryOnConflict: true }),
    ).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect(raced.seen).toHaveLength(2);
  });

  it('takes commands on one stream in turns: many at once, none refused, each decided on the state before it', async () => {
    const seen: number[] = [];
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () =>
        handleEventSourcedCommand(store, stream, counter, (total) => (seen.push(total), [count(1)]), context, {
          retryOnConflict: false,
        }),
      ),
    );
    expect(outcomes.map((outcome) => outcome.state)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    expect(seen).toEqual(Array.from({ length: 50 }, (_, index) => index));
  });

  it('reads only the events after the state it folded last time, including those another writer appended', async () => {
    await handleEventSourcedCommand(store, stream, counter, () => [count(1), count(2)], context, { retryOnConflict: false });
    await store.appendToStream(stream, toNewEvents([count(10)], context));
    const reads: (number | undefined)[] = [];
    const readStream = store.readStream.bind(store);
    store.readStream = (name, options) => (reads.push(options?.fromRevision), readStream(name, options));
    const { state, revision } = await loadStream(store, stream, counter);
    expect(state).toBe(13);
    expect(revision).toBe(2);
    expect(reads).toEqual([2]);
  });
});

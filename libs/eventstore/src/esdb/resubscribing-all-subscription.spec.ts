import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { AccessDeniedError, UnavailableError, type AllStreamResolvedEvent } from '@eventstore/db-client';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { eventFixture, settleWithin } from '../event-store.contract.js';
import type { RecordedEvent } from '../event-store.port.js';
import { SkippedRecordsLog } from '../skipped-records.log.js';
import { BackendAccessDeniedError } from '../backend-access-denied.error.js';
import { isEsdbOutage, translateEsdbError } from './esdb-error.mapping.js';
import { retryDelayMs, ResubscribingAllSubscription, type LogSubscription } from './resubscribing-all-subscription.js';

const ADDRESS = 'esdb://127.0.0.1:2113?tls=false';

/** A record of `$all` at commit position `commit` (prepare equals commit, as for any single-node write). */
function logRecord(commit: number, { streamId = 'order-1', type = 'OrderPlaced' } = {}): AllStreamResolvedEvent {
  const { id, data, metadata } = eventFixture(type);
  return {
    event: {
      streamId,
      id,
      type,
      data,
      metadata,
      isJson: true,
      revision: BigInt(commit),
      created: new Date('2024-05-01T10:00:00.000Z'),
      position: { commit: BigInt(commit), prepare: BigInt(commit) },
    },
  };
}

/** Plays its records (an Error is thrown where it stands), then waits until unsubscribed or ends. */
class ScriptedSubscription implements LogSubscription {
  released = false;
  private signalReleased!: () => void;
  private readonly releasedSignal = new Promise<void>((resolve) => {
    this.signalReleased = resolve;
  });

  constructor(
    private readonly script: readonly (AllStreamResolvedEvent | Error)[],
    private readonly afterScript: 'wait' | 'end' = 'wait',
  ) {}

  async unsubscribe(): Promise<void> {
    this.released = true;
    this.signalReleased();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<AllStreamResolvedEvent> {
    for (const step of this.script) {
      if (step instanceof Error) throw step;
      yield step;
    }
    if (this.afterScript === 'wait') await this.releasedSignal;
  }
}

/** A server subscription that never runs dry: a new record at each pull, until unsubscribed. */
class EndlessSubscription implements LogSubscription {
  private released = false;

  async unsubscribe(): Promise<void> {
    this.released = true;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<AllStreamResolvedEvent> {
    const { id, data, metadata } = eventFixture('OrderPlaced');
    for (let commit = 1n; !this.released; commit++) {
      const position = { commit, prepare: commit };
      yield {
        event: {
          streamId: 'order-1',
          id,
          type: 'OrderPlaced',
          data,
          metadata,
          isJson: true,
          revision: commit,
          created: new Date(0),
          position,
        },
      };
    }
  }
}

/**
 * A full garbage collection, so that what is left is what something still holds: through
 * `gc` when node runs with --expose-gc, else through the same V8 flag set now.
 */
async function collectGarbage(): Promise<void> {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed === undefined) setFlagsFromString('--expose-gc');
  const gc = exposed ?? (runInNewContext('gc') as () => void);
  // Weak references made in this turn of the event loop are kept until it ends.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  await new Promise((resolve) => setImmediate(resolve));
}

const heapUsed = async (): Promise<number> => {
  await collectGarbage();
  return process.memoryUsage().heapUsed;
};

/** A subscription over scripted server subscriptions, one per (re)subscription. */
function subscriptionOver(sources: LogSubscription[], after?: number) {
  const subscribedFrom: (bigint | undefined)[] = [];
  const warnings: string[] = [];
  let ended = 0;
  const subscription = new ResubscribingAllSubscription({
    after: after === undefined ? undefined : { commit: BigInt(after), prepare: BigInt(after) },
    subscribe: (from) => {
      subscribedFrom.push(from?.commit);
      const source = sources.shift();
      if (!source) throw new Error('No more scripted subscriptions');
      return source;
    },
    retry: { initialDelayMs: 1, maxDelayMs: 4 },
    failure: (error) => translateEsdbError(error, ADDRESS),
    onEnd: () => {
      ended += 1;
    },
    skippedRecords: new SkippedRecordsLog({ warn: (message) => warnings.push(message) }),
  });
  return { subscription, events: subscription[Symbol.asyncIterator](), subscribedFrom, warnings, endCount: () => ended };
}

const positionsOf = (results: IteratorResult<RecordedEvent>[]) => results.map((result) => (result.done ? 'done' : result.value.position));

describe('ResubscribingAllSubscription', () => {
  it('delivers the events in order in the port shape, without system records or records lacking a position', async () => {
    const placed = logRecord(10);
    const { events, subscription } = subscriptionOver([
      new ScriptedSubscription([
        placed,
        logRecord(11, { type: '$metadata' }),
        logRecord(12, { streamId: '$stats-127.0.0.1:2113' }),
        {},
        logRecord(13),
      ]),
    ]);

    const first = await events.next();
    const second = await events.next();

    expect(first).toEqual({
      done: false,
      value: {
        id: placed.event!.id,
        type: 'OrderPlaced',
        data: placed.event!.data,
        metadata: placed.event!.metadata,
        streamName: 'order-1',
        revision: 10,
        position: '10/10',
        recordedAt: '2024-05-01T10:00:00.000Z',
      },
    });
    expect(positionsOf([second])).toEqual(['13/13']);
    await subscription.unsubscribe();
  });

  it('skips the event at the start position when the server repeats it', async () => {
    const { events, subscribedFrom, subscription } = subscriptionOver([new ScriptedSubscription([logRecord(5), logRecord(6)])], 5);

    expect(positionsOf([await events.next()])).toEqual(['6/6']);
    expect(subscribedFrom).toEqual([5n]);
    await subscription.unsubscribe();
  });

  it('after a transient failure subscribes again from the last position seen, delivering each event once', async () => {
    const connectionLost = new UnavailableError(undefined, 'connection reset');
    const lost = new ScriptedSubscription([logRecord(1), logRecord(2), connectionLost]);
    const closedByServer = new ScriptedSubscription([logRecord(2), logRecord(3)], 'end');
    const resumed = new ScriptedSubscription([logRecord(3), logRecord(4)]);
    const { events, subscribedFrom, subscription } = subscriptionOver([lost, closedByServer, resumed]);

    const delivered = [];
    for (let i = 0; i < 4; i++) delivered.push(await settleWithin(1000, events.next()));

    expect(positionsOf(delivered)).toEqual(['1/1', '2/2', '3/3', '4/4']);
    expect(subscribedFrom).toEqual([undefined, 2n, 3n]);
    expect([lost.released, closedByServer.released]).toEqual([true, true]);
    await subscription.unsubscribe();
    expect(resumed.released).toBe(true);
  });

  it('skips a record another tool wrote and reports it, then follows on, also after resubscribing', async () => {
    const binary = logRecord(2);
    binary.event = { ...binary.event!, isJson: false, data: new Uint8Array([1, 2]) };
    const lost = new ScriptedSubscription([logRecord(1), binary, new UnavailableError(undefined, 'connection reset')]);
    const { events, subscribedFrom, warnings, subscription } = subscriptionOver([lost, new ScriptedSubscription([binary, logRecord(3)])]);

    const delivered = [await events.next(), await settleWithin(1000, events.next())];

    expect(positionsOf(delivered)).toEqual(['1/1', '3/3']);
    expect(subscribedFrom).toEqual([undefined, 2n]);
    expect(warnings).toEqual([expect.stringContaining(`${binary.event.id} (OrderPlaced) at order-1@2, position 2/2: its data is binary`)]);
    await subscription.unsubscribe();
  });

  it('ends on any other failure, passing it to the consumer as the port names it', async () => {
    const denied = new AccessDeniedError(undefined, 'access denied');
    const source = new ScriptedSubscription([logRecord(1), denied]);
    const { events, endCount } = subscriptionOver([source]);

    await events.next();

    const failure = await events.next().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendAccessDeniedError);
    expect((failure as Error).message).toContain(`EventStoreDB at ${ADDRESS} denied access`);
    await expect(events.next()).resolves.toEqual({ done: true, value: undefined });
    expect(source.released).toBe(true);
    expect(endCount()).toBe(1);
  });

  it('unsubscribe ends a pull that waits for the server, and releases the server subscription', async () => {
    const source = new ScriptedSubscription([]);
    const { events, subscription, endCount } = subscriptionOver([source]);
    const pending = events.next();

    await subscription.unsubscribe();

    expect(await settleWithin(1000, pending)).toEqual({ done: true, value: undefined });
    expect(source.released).toBe(true);
    expect(endCount()).toBe(1);
  });

  it('unsubscribe ends a subscription waiting to retry', async () => {
    const { events, subscription } = subscriptionOver([new ScriptedSubscription([new UnavailableError(undefined, 'server restarting')])]);
    const pending = events.next();

    await subscription.unsubscribe();

    expect(await settleWithin(1000, pending)).toEqual({ done: true, value: undefined });
  });

  it('leaving a for-await loop ends the subscription', async () => {
    const source = new ScriptedSubscription([logRecord(1), logRecord(2)]);
    const { subscription, endCount } = subscriptionOver([source]);

    for await (const event of subscription) {
      expect(event.position).toBe('1/1');
      break;
    }

    expect(source.released).toBe(true);
    expect(endCount()).toBe(1);
  });
});

describe('ResubscribingAllSubscription following $all for long', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  // Before, each pull raced the subscription's stop signal and left its result attached to it:
  // about 660 bytes per event, until the subscription ended.
  it('keeps nothing per event: over 200,000 pulls no delivered event stays reachable and the heap stays bounded', async () => {
    const { events, subscription } = subscriptionOver([new EndlessSubscription()]);
    for (let i = 0; i < 10_000; i++) await events.next();
    const before = await heapUsed();

    const sampled: WeakRef<RecordedEvent>[] = [];
    for (let i = 1; i <= 200_000; i++) {
      const next = await events.next();
      if (next.done) throw new Error(`The subscription ended after ${i} pulls`);
      if (i % 10_000 === 0) sampled.push(new WeakRef(next.value));
    }
    const grown = (await heapUsed()) - before;

    expect(sampled.filter((event) => event.deref() !== undefined)).toHaveLength(0);
    expect(grown).toBeLessThan(16 * 1024 * 1024);
    await subscription.unsubscribe();
    // 210,000 pulls take 2 s on their own and have taken over 30 s beside the whole suite on two cores.
  }, 120_000);

  it('keeps nothing per retry: 20,000 failed resubscriptions leave the heap where it was', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    let subscriptions = 0;
    const subscription = new ResubscribingAllSubscription({
      after: undefined,
      subscribe: () => {
        subscriptions += 1;
        return new ScriptedSubscription([new UnavailableError(undefined, 'server restarting')]);
      },
      retry: { initialDelayMs: 1, maxDelayMs: 1 },
      failure: (error) => translateEsdbError(error, ADDRESS),
      onEnd: () => undefined,
    });
    const pending = subscription[Symbol.asyncIterator]().next();
    const retried = async (count: number) => {
      while (subscriptions < count) await jest.advanceTimersByTimeAsync(1);
    };
    await retried(1_000);
    const before = await heapUsed();

    await retried(21_000);
    const grown = (await heapUsed()) - before;

    expect(grown).toBeLessThan(4 * 1024 * 1024);
    await subscription.unsubscribe();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});

describe('resubscription policy', () => {
  it('doubles the pause after each consecutive failure, up to the maximum', () => {
    const policy = { initialDelayMs: 100, maxDelayMs: 5_000 };

    expect([1, 2, 3, 4, 5, 6, 7, 50].map((failures) => retryDelayMs(failures, policy))).toEqual([
      100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000,
    ]);
  });

  it('retries when the server or the network was away, and not when the request itself is wrong', () => {
    expect(isEsdbOutage(new UnavailableError(undefined, 'unavailable'))).toBe(true);
    expect(isEsdbOutage(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isEsdbOutage(new AccessDeniedError(undefined, 'denied'))).toBe(false);
    expect(isEsdbOutage(new TypeError('bad'))).toBe(false);
    expect(isEsdbOutage(undefined)).toBe(false);
    // A call a proxy reset (gRPC INTERNAL, RST_STREAM) resubscribes instead of ending the subscription.
    expect(isEsdbOutage(Object.assign(new Error('13 INTERNAL: Received RST_STREAM with code 2'), { code: 13 }))).toBe(true);
  });
});

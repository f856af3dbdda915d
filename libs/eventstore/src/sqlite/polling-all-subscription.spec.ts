import { eventFixture, settleWithin } from '../event-store.contract.js';
import type { RecordedEvent } from '../event-store.port.js';
import { PollingAllSubscription, type PollingAllSubscriptionOptions } from './polling-all-subscription.js';

function recordedAt(position: number): RecordedEvent {
  return {
    ...eventFixture(),
    streamName: 'stream',
    revision: position - 1,
    position: String(position),
    recordedAt: new Date().toISOString(),
  };
}

/** A subscription that would wait a minute for the poll, so only a wake-up can move it on. */
function subscriptionOver(readPage: PollingAllSubscriptionOptions['readPage']) {
  const reads: (string | undefined)[] = [];
  const subscription = new PollingAllSubscription({
    after: undefined,
    readPage: (after, maxCount) => {
      reads.push(after);
      return readPage(after, maxCount);
    },
    pageSize: 2,
    pollIntervalMs: 60_000,
    onEnd: () => undefined,
  });
  return { subscription, events: subscription[Symbol.asyncIterator](), reads };
}

describe('PollingAllSubscription', () => {
  it('reads page after page from the last delivered position', async () => {
    const log = [1, 2, 3].map(recordedAt);
    const { events, reads, subscription } = subscriptionOver(async (after, maxCount) =>
      log.filter((event) => Number(event.position) > Number(after ?? 0)).slice(0, maxCount),
    );

    const delivered = [await events.next(), await events.next(), await events.next()];

    expect(delivered.map((result) => (result.value as RecordedEvent).position)).toEqual(['1', '2', '3']);
    expect(reads).toEqual([undefined, '2']);
    await subscription.unsubscribe();
  });

  it('reads again at once when woken while a read was in flight', async () => {
    const later = recordedAt(1);
    let readCount = 0;
    const { events, subscription } = subscriptionOver(async () => {
      readCount += 1;
      if (readCount > 1) return [later];
      await Promise.resolve();
      subscription.wake(); // an append committed while this read was running
      return [];
    });

    const next = events.next();

    expect(await settleWithin(1000, next)).toEqual({ done: false, value: later });
    await subscription.unsubscribe();
  });

  it('ends when a read fails, passing the failure to the consumer', async () => {
    const failure = new Error('database is closed');
    let ended = false;
    const subscription = new PollingAllSubscription({
      after: undefined,
      readPage: () => Promise.reject(failure),
      pageSize: 2,
      pollIntervalMs: 60_000,
      onEnd: () => {
        ended = true;
      },
    });
    const events = subscription[Symbol.asyncIterator]();

    await expect(events.next()).rejects.toBe(failure);
    expect(ended).toBe(true);
    await expect(events.next()).resolves.toEqual({ done: true, value: undefined });
  });
});

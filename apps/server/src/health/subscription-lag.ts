import type { EventStore } from '#eventstore';

/** A subscription to the global log and how far it has followed it; undefined: not a single event yet. */
export interface SubscriptionPosition {
  name: string;
  position: string | undefined;
}

export interface SubscriptionLag {
  name: string;
  /** Events of the log after its position, counted up to the limit asked for: the limit means at least that many. */
  events: number;
  /** How long the oldest of those events has been in the log, in seconds; 0 when it is caught up. */
  seconds: number;
}

/** Events read at a time while counting: short synchronous reads, however far behind a subscription is. */
const PAGE_SIZE = 500;

/**
 * How far behind the head of the log each subscription is, in events and in seconds. Positions
 * are opaque (an EventStoreDB position is a byte offset, not a count), so the events after each
 * position are read and counted, a page at a time and no more than `maxEvents`: a subscription
 * that is caught up costs one empty read, one far behind a bounded number of pages.
 */
export async function measureLag(
  store: EventStore,
  subscriptions: readonly SubscriptionPosition[],
  maxEvents: number,
  nowMs: number = Date.now(),
): Promise<SubscriptionLag[]> {
  // Subscriptions at the same position (all of them, when every one is caught up) share one count.
  const counts = new Map<string | undefined, Promise<Backlog>>();
  for (const { position } of subscriptions) {
    if (!counts.has(position)) counts.set(position, backlogAfter(store, position, maxEvents));
  }
  return Promise.all(
    subscriptions.map(async ({ name, position }) => {
      const { events, oldestRecordedAt } = await (counts.get(position) as Promise<Backlog>);
      const waitedMs = oldestRecordedAt === undefined ? 0 : Math.max(0, nowMs - Date.parse(oldestRecordedAt));
      return { name, events, seconds: waitedMs / 1000 };
    }),
  );
}

interface Backlog {
  events: number;
  oldestRecordedAt: string | undefined;
}

async function backlogAfter(store: EventStore, position: string | undefined, maxEvents: number): Promise<Backlog> {
  let events = 0;
  let oldestRecordedAt: string | undefined;
  for (let after = position; events < maxEvents;) {
    const wanted = Math.min(PAGE_SIZE, maxEvents - events);
    const page = await store.readAll({ after, maxCount: wanted });
    oldestRecordedAt ??= page[0]?.recordedAt;
    events += page.length;
    if (page.length < wanted) break;
    after = page[page.length - 1].position;
  }
  return { events, oldestRecordedAt };
}

import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { READ_MODEL_STORE, type ReadModelStore, WORKFLOWS_PROJECTION } from '#readmodel';
import type { SubscriptionLag } from './subscription-lag.js';
import { SubscriptionLagService } from './subscription-lag.service.js';

/**
 * How far behind the log a subscription may be and still count as caught up: both bounds hold.
 * A burst of appends passes within moments; a subscription that has stopped, or cannot keep up,
 * soon has an event older than the bound in front of it.
 */
export const READINESS_MAX_LAG = { events: 1000, seconds: 30 } as const;
/** A store that has not answered a probe by then counts as unreachable (a driver may wait far longer). */
export const STORE_PROBE_TIMEOUT_MS = 2000;

export interface Readiness {
  ready: boolean;
  /** Why it is not ready; empty when it is. */
  reasons: string[];
  /** Each subscription this process runs, and its lag. */
  subscriptions: Record<string, { events: number; seconds: number }>;
}

/** Undefined when `probe` answers in time; otherwise why the store counts as unreachable. */
async function unreachable(store: string, probe: () => Promise<unknown>): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`${store} did not answer within ${STORE_PROBE_TIMEOUT_MS} ms`), STORE_PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      probe().then(
        () => undefined,
        (error: unknown) => `${store} is unreachable: ${(error as Error).message}`,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const behindBy = ({ name, events, seconds }: SubscriptionLag): string | undefined => {
  if (events > READINESS_MAX_LAG.events) return `${name} is more than ${READINESS_MAX_LAG.events} events behind the log`;
  if (seconds > READINESS_MAX_LAG.seconds) {
    return `${name} has yet to handle an event ${Math.round(seconds)} s old (at most ${READINESS_MAX_LAG.seconds} s)`;
  }
  return undefined;
};

/** Whether this process can do its work now: both stores answer and every subscription it runs is caught up. */
@Injectable()
export class ReadinessService {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModel: ReadModelStore,
    private readonly lag: SubscriptionLagService,
  ) {}

  async check(): Promise<Readiness> {
    const stores = await Promise.all([
      unreachable('the event store', () => this.eventStore.headPosition()),
      // The cheapest read the port has; which checkpoint it reads does not matter.
      unreachable('the read-model store', () => this.readModel.getCheckpoint(WORKFLOWS_PROJECTION)),
    ]);
    const reasons = stores.filter((reason) => reason !== undefined);
    // Without the log there is no lag to measure: the event store's reason says why.
    const lags = stores[0] === undefined ? await this.measureLag(reasons) : [];
    reasons.push(...lags.flatMap((lag) => behindBy(lag) ?? []));
    return {
      ready: reasons.length === 0,
      reasons,
      subscriptions: Object.fromEntries(lags.map(({ name, events, seconds }) => [name, { events, seconds }])),
    };
  }

  private async measureLag(reasons: string[]): Promise<SubscriptionLag[]> {
    try {
      // One past the bound tells whether it is exceeded.
      return await this.lag.measure(READINESS_MAX_LAG.events + 1);
    } catch (error) {
      reasons.push(`the lag of the subscriptions could not be measured: ${(error as Error).message}`);
      return [];
    }
  }
}

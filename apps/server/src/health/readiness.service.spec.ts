import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { EventStore } from '#eventstore';
import type { ReadModelStore } from '#readmodel';
import { READINESS_MAX_LAG, ReadinessService, STORE_PROBE_TIMEOUT_MS } from './readiness.service.js';
import type { SubscriptionLag } from './subscription-lag.js';
import type { SubscriptionLagService } from './subscription-lag.service.js';

/** Stores that answer their probes as told, and subscriptions lagging as told: readiness is what is tested. */
const readinessWith = (options: {
  eventStore?: () => Promise<unknown>;
  readModel?: () => Promise<unknown>;
  lags?: () => Promise<SubscriptionLag[]>;
}) =>
  new ReadinessService(
    { headPosition: options.eventStore ?? (async () => '42') } as unknown as EventStore,
    { getCheckpoint: options.readModel ?? (async () => '42') } as unknown as ReadModelStore,
    { measure: options.lags ?? (async () => []) } as unknown as SubscriptionLagService,
  );

const never = () => new Promise<never>(() => undefined);

describe('ReadinessService', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('is ready with every subscription at the bounds, and reports each one', async () => {
    const atTheBounds = { name: 'sessions', events: READINESS_MAX_LAG.events, seconds: READINESS_MAX_LAG.seconds };
    const caughtUp = { name: 'session-engine', events: 0, seconds: 0 };

    expect(await readinessWith({ lags: async () => [atTheBounds, caughtUp] }).check()).toEqual({
      ready: true,
      reasons: [],
      subscriptions: { sessions: { events: 1000, seconds: 30 }, 'session-engine': { events: 0, seconds: 0 } },
    });
  });

  it('is not ready while a subscription is beyond either bound, naming it', async () => {
    const lags = async () => [
      { name: 'sessions', events: READINESS_MAX_LAG.events + 1, seconds: 0.2 },
      { name: 'session-engine', events: 3, seconds: READINESS_MAX_LAG.seconds + 15.4 },
      { name: 'channels', events: 0, seconds: 0 },
    ];

    const readiness = await readinessWith({ lags }).check();

    expect(readiness.ready).toBe(false);
    expect(readiness.reasons).toEqual([
      'sessions is more than 1000 events behind the log',
      'session-engine has yet to handle an event 45 s old (at most 30 s)',
    ]);
  });

  it('is not ready when a store fails, naming it; without the log, lag is not measured', async () => {
    const readiness = await readinessWith({
      eventStore: () => Promise.reject(new Error('database is locked')),
      readModel: () => Promise.reject(new Error('connection refused')),
      lags: () => Promise.reject(new Error('must not be measured')),
    }).check();

    expect(readiness).toEqual({
      ready: false,
      reasons: ['the event store is unreachable: database is locked', 'the read-model store is unreachable: connection refused'],
      subscriptions: {},
    });
  });

  it('counts a store that does not answer in time as unreachable', async () => {
    jest.useFakeTimers();
    const checking = readinessWith({ readModel: never }).check();

    await jest.advanceTimersByTimeAsync(STORE_PROBE_TIMEOUT_MS);

    expect((await checking).reasons).toEqual([`the read-model store did not answer within ${STORE_PROBE_TIMEOUT_MS} ms`]);
  });

  it('is not ready when the lag cannot be measured', async () => {
    const readiness = await readinessWith({ lags: () => Promise.reject(new Error('the log is unreadable')) }).check();

    expect(readiness.reasons).toEqual(['the lag of the subscriptions could not be measured: the log is unreadable']);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type NewEvent, SqliteEventStore } from '#eventstore';
import { specEvent } from '../../../../test/support/spec-events.js';
import { measureLag } from './subscription-lag.js';

const events = (count: number): NewEvent[] => Array.from({ length: count }, () => specEvent('LagMeasured', 'acme'));

describe('measureLag', () => {
  let directory: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'subscription-lag-'));
    store = SqliteEventStore.open({ file: join(directory, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('is nothing for a subscription at the head, and for any subscription of an empty log', async () => {
    expect(await measureLag(store, [{ name: 'fresh', position: undefined }], 100)).toEqual([{ name: 'fresh', events: 0, seconds: 0 }]);

    const { position } = await store.appendToStream('lag-1', events(3));

    expect(await measureLag(store, [{ name: 'caught-up', position }], 100)).toEqual([{ name: 'caught-up', events: 0, seconds: 0 }]);
  });

  it('counts the events after each position, across pages, and times the oldest of them', async () => {
    const { position: first } = await store.appendToStream('lag-1', events(1));
    const { position: middle } = await store.appendToStream('lag-1', events(1200));
    await store.appendToStream('lag-1', events(5));
    const [oldestAfterFirst] = await store.readAll({ after: first, maxCount: 1 });
    const [oldestAfterMiddle] = await store.readAll({ after: middle, maxCount: 1 });
    const now = Date.parse(oldestAfterFirst.recordedAt) + 90_000;

    const lags = await measureLag(
      store,
      [
        { name: 'from-the-start', position: undefined },
        { name: 'after-the-first', position: first },
        { name: 'near-the-head', position: middle },
      ],
      10_000,
      now,
    );

    expect(lags).toEqual([
      { name: 'from-the-start', events: 1206, seconds: expect.any(Number) },
      { name: 'after-the-first', events: 1205, seconds: 90 },
      { name: 'near-the-head', events: 5, seconds: (now - Date.parse(oldestAfterMiddle.recordedAt)) / 1000 },
    ]);
  });

  it('counts no further than asked: the limit means at least that many', async () => {
    await store.appendToStream('lag-1', events(700));

    const [lag] = await measureLag(store, [{ name: 'behind', position: undefined }], 501);

    expect(lag.events).toBe(501);
  });

  it('fails when the log cannot be read', async () => {
    await store.close();

    await expect(measureLag(store, [{ name: 'any', position: undefined }], 10)).rejects.toThrow();
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { InvalidPositionError, type NewEvent, SqliteEventStore } from '#eventstore';
import {
  type AuditEventView,
  type AuditFilter,
  AuditLogReader,
  type AuditOrder,
  type AuditScanLimits,
  auditEventView,
} from './audit-log.reader.js';

let directory: string;
let store: SqliteEventStore;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'audit-log-reader-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));
beforeEach(() => {
  store = SqliteEventStore.open({ file: join(directory, `${randomUUID()}.sqlite`) });
});
afterEach(() => store.close());

const eventIn = (workspace: string, type: string): NewEvent => ({
  id: randomUUID(),
  type,
  data: {},
  metadata: {
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { sub: 'ann', role: 'admin' },
    occurredAt: new Date().toISOString(),
    workspace,
  },
});

/** 24 events, one append each, over two workspaces, three streams and two types. */
const fillLog = async (): Promise<void> => {
  for (let index = 0; index < 24; index += 1) {
    const workspace = index % 3 === 0 ? 'globex' : 'acme';
    await store.appendToStream(`thing-${index % 4}`, [eventIn(workspace, index % 5 === 0 ? 'Rare' : 'Common')]);
  }
};

const wholeLog = async (filter: AuditFilter): Promise<AuditEventView[]> =>
  (await store.readAll())
    .filter(
      (event) =>
        event.metadata.workspace === filter.workspace &&
        (filter.stream === undefined || event.streamName === filter.stream) &&
        (filter.type === undefined || event.type === filter.type),
    )
    .map(auditEventView);

/** Follows `next` from the start (or the head) until it is null; fails instead of looping if it never is. */
const followPages = async (reader: AuditLogReader, filter: AuditFilter, limit: number, order: AuditOrder) => {
  const pages: AuditEventView[][] = [];
  let from: string | undefined;
  do {
    const page = await reader.page(filter, from, limit, order);
    pages.push(page.items);
    from = page.next ?? undefined;
    if (pages.length > 100) throw new Error('next never became null');
  } while (from !== undefined);
  return pages;
};

describe('AuditLogReader.page', () => {
  const filters: [string, AuditFilter][] = [
    ['a workspace', { workspace: 'acme' }],
    ['a stream', { workspace: 'acme', stream: 'thing-1' }],
    ['a type', { workspace: 'acme', type: 'Rare' }],
    ['nothing', { workspace: 'acme', type: 'Missing' }],
  ];
  const limitsCases: [string, AuditScanLimits][] = [
    ['batches larger than the log', { readBatch: 100, scanBudget: 1000 }],
    ['small batches', { readBatch: 2, scanBudget: 1000 }],
    ['a scan budget smaller than the log', { readBatch: 2, scanBudget: 5 }],
  ];

  for (const [limitsCase, limits] of limitsCases) {
    it.each(filters)(`with ${limitsCase}, paging through the events of %s gives each one exactly once, in order`, async (_case, filter) => {
      await fillLog();
      const expected = await wholeLog(filter);
      for (const limit of [1, 2, 3, 50]) {
        const oldestFirst = await followPages(new AuditLogReader(store, limits), filter, limit, 'oldest');
        const newestFirst = await followPages(new AuditLogReader(store, limits), filter, limit, 'newest');
        expect(oldestFirst.flat()).toEqual(expected);
        expect(newestFirst.flat()).toEqual([...expected].reverse());
        expect([...oldestFirst, ...newestFirst].every((items) => items.length <= limit)).toBe(true);
      }
    });
  }

  it('stops a sparse scan at the budget and answers where to go on', async () => {
    await fillLog();
    const reader = new AuditLogReader(store, { readBatch: 2, scanBudget: 5 });
    const first = await reader.page({ workspace: 'acme', type: 'Missing' }, undefined, 10);
    const log = await store.readAll();
    expect(first).toEqual({ items: [], next: log[4].position });
    const newest = await reader.page({ workspace: 'acme', type: 'Missing' }, undefined, 10, 'newest');
    expect(newest).toEqual({ items: [], next: log.at(-5)!.position });
  });

  it('answers next null when the page ends exactly at the end of the log', async () => {
    await fillLog();
    const reader = new AuditLogReader(store, { readBatch: 100, scanBudget: 1000 });
    const acme = await wholeLog({ workspace: 'acme' });
    expect((await reader.page({ workspace: 'acme' }, undefined, acme.length)).next).toBeNull();
    expect((await reader.page({ workspace: 'acme' }, undefined, acme.length - 1)).next).toBe(acme.at(-2)!.position);
    // Newest first, the log's first event (globex's) lies beyond acme's oldest: the page cannot know it does not match.
    expect((await reader.page({ workspace: 'acme' }, undefined, acme.length, 'newest')).next).toBe(acme[0].position);
    expect((await reader.page({ workspace: 'acme' }, undefined, acme.length - 1, 'newest')).next).toBe(acme[1].position);
  });

  it('answers an empty last page for a log that is empty or read to its end', async () => {
    const reader = new AuditLogReader(store);
    expect(await reader.page({ workspace: 'acme' }, undefined, 10)).toEqual({ items: [], next: null });
    await fillLog();
    const head = await store.headPosition();
    expect(await reader.page({ workspace: 'acme' }, head, 10)).toEqual({ items: [], next: null });
    const [first] = await store.readAll({ maxCount: 1 });
    expect(await reader.page({ workspace: 'acme' }, first.position, 10, 'newest')).toEqual({ items: [], next: null });
  });

  it('refuses a position that is not one of the store', async () => {
    await expect(new AuditLogReader(store).page({ workspace: 'acme' }, 'not-a-position', 10)).rejects.toThrow(InvalidPositionError);
    await expect(new AuditLogReader(store).page({ workspace: 'acme' }, 'not-a-position', 10, 'newest')).rejects.toThrow(
      InvalidPositionError,
    );
  });
});

describe('AuditLogReader.batchesUpTo', () => {
  const collect = async (reader: AuditLogReader, filter: AuditFilter, head: string | undefined) => {
    const batches: AuditEventView[][] = [];
    for await (const batch of reader.batchesUpTo(filter, head)) batches.push(batch);
    return batches;
  };

  it('yields every matching event up to the head, in batches no larger than a read', async () => {
    await fillLog();
    const head = await store.headPosition();
    const reader = new AuditLogReader(store, { readBatch: 5, scanBudget: 1 });
    for (const filter of [{ workspace: 'acme' }, { workspace: 'globex', type: 'Rare' }]) {
      const batches = await collect(reader, filter, head);
      expect(batches.flat()).toEqual(await wholeLog(filter));
      expect(batches.every((batch) => batch.length <= 5)).toBe(true);
    }
  });

  it('ends at the head it was given, though the log grew since', async () => {
    await fillLog();
    const head = await store.headPosition();
    const before = await wholeLog({ workspace: 'acme' });
    await fillLog();
    const batches = await collect(new AuditLogReader(store, { readBatch: 4, scanBudget: 1 }), { workspace: 'acme' }, head);
    expect(batches.flat()).toEqual(before);
  });

  it('yields nothing for an empty log', async () => {
    expect(await collect(new AuditLogReader(store), { workspace: 'acme' }, await store.headPosition())).toEqual([]);
  });
});

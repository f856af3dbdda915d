import type { ListQuery } from '../read-model-store.port.js';
import { mongoIndexKey, mongoListQuery } from './mongodb-list-query.js';

const query = (overrides: Partial<ListQuery> = {}): ListQuery => ({
  workspace: 'w',
  orderBy: 'createdAt',
  limit: 10,
  ...overrides,
});

describe('mongoListQuery', () => {
  it('finds the workspace newest first, ties broken by id', () => {
    expect(mongoListQuery(query())).toEqual({
      filter: { $and: [{ workspace: 'w' }] },
      sort: { createdAt: -1, _id: -1 },
      limit: 10,
    });
  });

  it('sorts oldest first, ties broken by id, when asked for ascending order', () => {
    expect(mongoListQuery(query({ order: 'asc' })).sort).toEqual({ createdAt: 1, _id: 1 });
  });

  it('adds one equality per where field', () => {
    const { filter } = mongoListQuery(query({ where: { status: 'active', version: 2, pinned: false } }));

    expect(filter).toEqual({ $and: [{ workspace: 'w' }, { pinned: false }, { status: 'active' }, { version: 2 }] });
  });

  it('narrows rather than replaces the workspace when where names it too', () => {
    expect(mongoListQuery(query({ where: { workspace: 'other' } })).filter).toEqual({
      $and: [{ workspace: 'w' }, { workspace: 'other' }],
    });
  });

  it('pages strictly before the keyset of a descending list: bounded by its value, ids compared among equal values', () => {
    expect(mongoListQuery(query({ before: { value: '2024-01-02', id: 'doc-07' } })).filter).toEqual({
      $and: [
        { workspace: 'w' },
        { createdAt: { $lte: '2024-01-02' } },
        { $or: [{ createdAt: { $lt: '2024-01-02' } }, { _id: { $lt: 'doc-07' } }] },
      ],
    });
  });

  it('pages strictly after the keyset of an ascending list', () => {
    expect(mongoListQuery(query({ order: 'asc', after: { value: '2024-01-02', id: 'doc-07' } })).filter).toEqual({
      $and: [
        { workspace: 'w' },
        { createdAt: { $gte: '2024-01-02' } },
        { $or: [{ createdAt: { $gt: '2024-01-02' } }, { _id: { $gt: 'doc-07' } }] },
      ],
    });
  });

  it.each([
    { order: 'asc' as const, before: { value: 'a', id: 'a' } },
    { order: 'desc' as const, after: { value: 'a', id: 'a' } },
    { after: { value: 'a', id: 'a' } },
  ])('refuses a keyset that goes against the order: %j', (paging) => {
    expect(() => mongoListQuery(query(paging))).toThrow(/pages with/);
  });

  it('orders, filters and pages by id through _id', () => {
    const { filter, sort } = mongoListQuery(query({ orderBy: 'id', where: { id: 'b' }, before: { value: 'c', id: 'c' } }));

    expect(sort).toEqual({ _id: -1 });
    expect(filter).toEqual({
      $and: [{ workspace: 'w' }, { _id: 'b' }, { _id: { $lte: 'c' } }, { $or: [{ _id: { $lt: 'c' } }, { _id: { $lt: 'c' } }] }],
    });
  });

  it.each([`name') OR 1=1 --`, 'nested.field', '$where', '', '1st', '_id'])('rejects %j as a field name', (field) => {
    expect(() => mongoListQuery(query({ orderBy: field }))).toThrow(/field name/);
    expect(() => mongoListQuery(query({ where: { [field]: 'x' } }))).toThrow(/field name/);
  });

  it('refuses objects where the port promises plain values, so none can act as an operator', () => {
    const operator = { $ne: '' } as unknown as string;

    expect(() => mongoListQuery(query({ workspace: operator }))).toThrow(/workspace must be a string/);
    expect(() => mongoListQuery(query({ where: { status: operator } }))).toThrow(/where.status must be/);
    expect(() => mongoListQuery(query({ before: { value: operator, id: 'a' } }))).toThrow(/keyset value/);
    expect(() => mongoListQuery(query({ order: 'asc', after: { value: 'a', id: operator } }))).toThrow(/keyset id/);
  });

  it.each([-1, 1.5, Number.NaN])('rejects %p as a limit', (limit) => {
    expect(() => mongoListQuery(query({ limit }))).toThrow(/limit/);
  });
});

describe('mongoIndexKey', () => {
  it('puts the workspace and the equality fields first, in their declared order, then the order and the id descending', () => {
    expect(JSON.stringify(mongoIndexKey({ collection: 'sessions', equals: ['workflowId', 'status'], orderBy: 'startedAt' }))).toBe(
      JSON.stringify({ workspace: 1, workflowId: 1, status: 1, startedAt: -1, _id: -1 }),
    );
  });

  it('keys the id as _id, once', () => {
    expect(mongoIndexKey({ collection: 'versions', equals: [], orderBy: 'id' })).toEqual({ workspace: 1, _id: -1 });
  });

  it.each(['_id', 'steps.0.id', '$where'])('rejects %j as a field name', (field) => {
    expect(() => mongoIndexKey({ collection: 'cards', equals: [field], orderBy: 'createdAt' })).toThrow(/field name/);
    expect(() => mongoIndexKey({ collection: 'cards', equals: [], orderBy: field })).toThrow(/field name/);
  });
});

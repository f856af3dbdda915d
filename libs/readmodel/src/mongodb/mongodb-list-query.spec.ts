import type { ListQuery } from '../read-model-store.port.js';
import { mongoListQuery } from './mongodb-list-query.js';

const query = (overrides: Partial<ListQuery> = {}): ListQuery => ({
  workspace: 'w',
  orderBy: 'createdAt',
  limit: 10,
  ...overrides,
});

describe('mongoListQuery', () => {
  it('finds the workspace newest first, ties broken by id, with an index in that order', () => {
    expect(mongoListQuery(query())).toEqual({
      filter: { $and: [{ workspace: 'w' }] },
      sort: { createdAt: -1, _id: -1 },
      limit: 10,
      index: { workspace: 1, createdAt: -1, _id: -1 },
    });
  });

  it('adds one equality per where field, and puts them in the index before the order', () => {
    const { filter, index } = mongoListQuery(query({ where: { status: 'active', version: 2, pinned: false } }));

    expect(filter).toEqual({ $and: [{ workspace: 'w' }, { pinned: false }, { status: 'active' }, { version: 2 }] });
    expect(index).toEqual({ workspace: 1, pinned: 1, status: 1, version: 1, createdAt: -1, _id: -1 });
  });

  it('builds the same index whatever order the where fields come in', () => {
    const forward = mongoListQuery(query({ where: { a: 1, b: 2 } })).index;
    const backward = mongoListQuery(query({ where: { b: 2, a: 1 } })).index;

    expect(JSON.stringify(forward)).toBe(JSON.stringify(backward));
  });

  it('narrows rather than replaces the workspace when where names it too', () => {
    expect(mongoListQuery(query({ where: { workspace: 'other' } })).filter).toEqual({
      $and: [{ workspace: 'w' }, { workspace: 'other' }],
    });
  });

  it('pages strictly after the keyset, comparing ids only between equal order values', () => {
    expect(mongoListQuery(query({ before: { value: '2024-01-02', id: 'doc-07' } })).filter).toEqual({
      $and: [
        { workspace: 'w' },
        {
          $or: [
            { createdAt: { $lt: '2024-01-02' } },
            { $and: [{ createdAt: '2024-01-02' }, { _id: { $lt: 'doc-07' } }] },
          ],
        },
      ],
    });
  });

  it('orders, filters and pages by id through _id', () => {
    const { filter, sort, index } = mongoListQuery(
      query({ orderBy: 'id', where: { id: 'b' }, before: { value: 'c', id: 'c' } }),
    );

    expect(sort).toEqual({ _id: -1 });
    expect(index).toEqual({ workspace: 1, _id: 1 });
    expect(filter).toEqual({
      $and: [
        { workspace: 'w' },
        { _id: 'b' },
        { $or: [{ _id: { $lt: 'c' } }, { $and: [{ _id: 'c' }, { _id: { $lt: 'c' } }] }] },
      ],
    });
  });

  it.each([`name') OR 1=1 --`, 'nested.field', '$where', '', '1st', '_id'])(
    'rejects %j as a field name',
    (field) => {
      expect(() => mongoListQuery(query({ orderBy: field }))).toThrow(/field name/);
      expect(() => mongoListQuery(query({ where: { [field]: 'x' } }))).toThrow(/field name/);
    },
  );

  it('refuses objects where the port promises plain values, so none can act as an operator', () => {
    const operator = { $ne: '' } as unknown as string;

    expect(() => mongoListQuery(query({ workspace: operator }))).toThrow(/workspace must be a string/);
    expect(() => mongoListQuery(query({ where: { status: operator } }))).toThrow(/where.status must be/);
    expect(() => mongoListQuery(query({ before: { value: operator, id: 'a' } }))).toThrow(/before.value/);
    expect(() => mongoListQuery(query({ before: { value: 'a', id: operator } }))).toThrow(/before.id/);
  });

  it.each([-1, 1.5, Number.NaN])('rejects %p as a limit', (limit) => {
    expect(() => mongoListQuery(query({ limit }))).toThrow(/limit/);
  });
});

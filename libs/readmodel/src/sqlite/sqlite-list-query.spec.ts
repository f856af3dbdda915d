import Database from 'better-sqlite3';
import { channelsProjection } from '../channels/channels.projection.js';
import type { ListQuery, ReadModelIndex } from '../read-model-store.port.js';
import { sessionsProjection } from '../sessions/sessions.projection.js';
import { workflowsProjection } from '../workflows/workflows.projection.js';
import { sqliteIndexName, sqliteListQuery } from './sqlite-list-query.js';
import { openTemporarySqliteReadModelStore } from './sqlite-read-model-store.fixture.js';

/** The projections' own declarations, and shapes they do not have yet: no equality, several, of every value type. */
const DECLARED: readonly ReadModelIndex[] = [
  ...[workflowsProjection, channelsProjection, sessionsProjection].flatMap(({ indexes }) => indexes),
  { collection: 'samples', equals: [], orderBy: 'id' },
  { collection: 'samples', equals: ['kind', 'pinned', 'version'], orderBy: 'createdAt' },
  { collection: "o'brien", equals: ['kind'], orderBy: 'createdAt' },
];

const WHERE_VALUES: Record<string, string | number | boolean> = { pinned: true, version: 2, status: 'active' };

const queriesOf = (index: ReadModelIndex): { label: string; query: ListQuery }[] => {
  const where = Object.fromEntries(index.equals.map((field) => [field, WHERE_VALUES[field] ?? 'x']));
  const base = { workspace: 'w', where, orderBy: index.orderBy, limit: 10 };
  const keyset = { value: 'v', id: 'i' };
  return [
    { label: 'desc', query: base },
    { label: 'desc before a keyset', query: { ...base, before: keyset } },
    { label: 'asc', query: { ...base, order: 'asc' } },
    { label: 'asc after a keyset', query: { ...base, order: 'asc', after: keyset } },
  ];
};

describe('SQLite list queries', () => {
  let temporary: Awaited<ReturnType<typeof openTemporarySqliteReadModelStore>>;
  let planner: Database.Database;

  beforeAll(async () => {
    temporary = await openTemporarySqliteReadModelStore(DECLARED);
    planner = new Database(temporary.file, { readonly: true });
  });

  afterAll(async () => {
    planner.close();
    await temporary.dispose();
  });

  const planOf = (index: ReadModelIndex, query: ListQuery): string[] => {
    const { sql, params } = sqliteListQuery(index, query);
    return planner
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map(({ detail }) => detail);
  };

  describe.each(DECLARED.map((index) => ({ ...index, name: `${index.collection} [${index.equals.join(', ')}] by ${index.orderBy}` })))(
    '$name',
    (index) => {
      it.each(queriesOf(index))('is searched through its own index, already in order: $label', ({ query }) => {
        const plan = planOf(index, query);

        expect(plan).toEqual([expect.stringMatching(new RegExp(`^SEARCH documents USING INDEX ${sqliteIndexName(index)} \\(`))]);
        expect(plan.join('\n')).not.toMatch(/\bSCAN\b|TEMP B-TREE/);
      });
    },
  );

  it('seeks to a keyset through the index rather than reading every document before it', () => {
    const [byConversation] = sessionsProjection.indexes.filter(({ equals }) => equals.includes('conversationKey'));
    const query: ListQuery = {
      workspace: 'w',
      where: { conversationKey: 'c' },
      orderBy: 'seq',
      order: 'asc',
      after: { value: '1', id: 'm' },
      limit: 10,
    };

    expect(planOf(byConversation, query)).toEqual([
      `SEARCH documents USING INDEX ${sqliteIndexName(byConversation)} (workspace=? AND <expr>=? AND <expr>>?)`,
    ]);
  });

  it('names every declaration differently, even where their readable parts are alike', () => {
    const names = [
      { collection: 'a-b', equals: [], orderBy: 'c' },
      { collection: 'a_b', equals: [], orderBy: 'c' },
      { collection: 'a', equals: ['b'], orderBy: 'c' },
      { collection: 'a', equals: ['b', 'c'], orderBy: 'd' },
      { collection: 'a', equals: ['c', 'b'], orderBy: 'd' },
    ].map(sqliteIndexName);

    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_]+$/);
  });

  it('lists a collection whose name holds a quote', async () => {
    await temporary.store.commit('quoted', { expected: undefined, next: '1' }, async (tx) => {
      tx.put("o'brien", { id: 'a', workspace: 'w', kind: 'k', createdAt: '2024-01-01' });
    });

    expect(await temporary.store.list("o'brien", { workspace: 'w', where: { kind: 'k' }, orderBy: 'createdAt', limit: 10 })).toEqual([
      { id: 'a', workspace: 'w', kind: 'k', createdAt: '2024-01-01' },
    ]);
  });
});

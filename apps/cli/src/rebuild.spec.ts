import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SqliteEventStore } from '#eventstore';
import { type Projection, type ReadModelDocument, SqliteReadModelStore } from '#readmodel';
import { specEvent } from '../../../test/support/spec-events.js';
import { rebuildProjections } from './rebuild.js';

const COLLECTION = 'tallies';

interface Tally extends ReadModelDocument {
  counted: number;
  revisions: number[];
}

/** Counts each stream's `Counted` events; `Reset` deletes the stream's tally, and counting starts over. */
const tallies: Projection = {
  name: 'tallies',
  collections: [COLLECTION],
  indexes: [],
  async apply(event, tx) {
    if (event.type === 'Reset') return tx.delete(COLLECTION, event.streamName);
    if (event.type !== 'Counted') return;
    const tally = (await tx.get<Tally>(COLLECTION, event.streamName)) ?? {
      id: event.streamName,
      workspace: 'default',
      counted: 0,
      revisions: [],
    };
    tx.put(COLLECTION, { ...tally, counted: tally.counted + 1, revisions: [...tally.revisions, event.revision] });
  },
};

const STREAMS = 6;
const EVENTS_PER_STREAM = 250;
/** Stream s1 is reset at this revision: its tally counts only what follows. */
const RESET_AT = 100;

describe('rebuildProjections', () => {
  let directory: string;
  let events: SqliteEventStore;
  const targets: SqliteReadModelStore[] = [];
  const openTarget = () => {
    const target = SqliteReadModelStore.open({ file: join(directory, `target-${targets.length}.sqlite`) });
    targets.push(target);
    return target;
  };
  const tallyOf = async (target: SqliteReadModelStore, stream: string) => target.get<Tally>(COLLECTION, stream);

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'rebuild-'));
    events = SqliteEventStore.open({ file: join(directory, 'events.sqlite') });
    // Streams interleaved in the log, so that each stream's tally is read back across many pages and commits.
    for (let revision = 0; revision < EVENTS_PER_STREAM; revision++) {
      await Promise.all(
        Array.from({ length: STREAMS }, (_, stream) =>
          events.appendToStream(`s${stream}`, [specEvent(stream === 1 && revision === RESET_AT ? 'Reset' : 'Counted')], {
            expectedRevision: revision - 1 < 0 ? 'no_stream' : revision - 1,
          }),
        ),
      );
    }
  });

  afterEach(async () => {
    await Promise.all(targets.splice(0).map((target) => target.close()));
    await events.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('gives the same documents and checkpoint whether it commits once or every page, each event applied once', async () => {
    const once = openTarget();
    const everyPage = openTarget();

    expect(await rebuildProjections(events, once, [tallies], 'once', { eventsPerCommit: Number.POSITIVE_INFINITY })).toBe(1500);
    expect(await rebuildProjections(events, everyPage, [tallies], 'every page', { eventsPerCommit: 1 })).toBe(1500);

    for (const target of [once, everyPage]) {
      expect(await target.getCheckpoint('tallies')).toBe(await events.headPosition());
      const untouched = await tallyOf(target, 's0');
      expect(untouched?.counted).toBe(EVENTS_PER_STREAM);
      expect(untouched?.revisions).toEqual(Array.from({ length: EVENTS_PER_STREAM }, (_, revision) => revision));
      // Deleted in an earlier commit, then written again from nothing.
      const reset = await tallyOf(target, 's1');
      expect(reset?.counted).toBe(EVENTS_PER_STREAM - RESET_AT - 1);
      expect(reset?.revisions[0]).toBe(RESET_AT + 1);
    }
    const all = async (target: SqliteReadModelStore) => {
      const found: ReadModelDocument[] = [];
      for await (const document of target.allDocuments(COLLECTION)) found.push(document);
      return found;
    };
    expect(await all(everyPage)).toEqual(await all(once));
  });

  it('stops each projection at its upTo position', async () => {
    const [, , upTo] = await events.readAll({ maxCount: 3 });
    const target = openTarget();

    await rebuildProjections(events, target, [tallies], 'up to', { upTo: new Map([['tallies', upTo.position]]), eventsPerCommit: 1 });

    expect(await target.getCheckpoint('tallies')).toBe(upTo.position);
    expect((await tallyOf(target, 's0'))?.counted).toBe(1);
    expect(await tallyOf(target, 's3')).toBeUndefined();
  });

  it('reads what a target already holds for a projection it has a checkpoint for', async () => {
    const target = openTarget();
    await target.commit('tallies', { expected: undefined, next: '0' }, async (tx) => {
      tx.put(COLLECTION, { id: 's0', workspace: 'default', counted: 1000, revisions: [] });
    });

    await rebuildProjections(events, target, [tallies], 'on top', { eventsPerCommit: 1 });

    expect((await tallyOf(target, 's0'))?.counted).toBe(1000 + EVENTS_PER_STREAM);
  });
});

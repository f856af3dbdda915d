/**
 * Rebuilding every projection from a log, against the floor of reading that log at all: selecting
 * its rows and parsing their JSON.
 */
import Database from 'better-sqlite3';
import { SqliteEventStore } from '#eventstore';
import { SqliteReadModelStore } from '#readmodel';
import { Progress } from '../../apps/cli/src/progress.js';
import { rebuildProjections } from '../../apps/cli/src/rebuild.js';
import { ALL_INDEXES, ALL_PROJECTIONS } from '#platform';
import { type Metrics, measured } from './bench-report.js';
import { recordContactMessages } from './conversation-preload.js';

export interface RebuildBenchSizes {
  /** The log is topped up with more web chat messages until it holds this many events. */
  minimumEvents: number;
}

/** Events per second of selecting every row of the log in order and parsing its data and metadata. */
function readAndParse(eventsFile: string, total: number): number {
  const db = new Database(eventsFile, { readonly: true });
  try {
    const rows = db.prepare<[], { data: string; metadata: string }>(
      'SELECT position, event_id, stream_name, revision, type, data, metadata, recorded_at FROM events ORDER BY position',
    );
    const progress = new Progress('log rows read and parsed', total, 'events');
    const startedAt = performance.now();
    let read = 0;
    for (const row of rows.iterate()) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
      if (++read % 10_000 === 0) progress.update(read);
    }
    const rate = read / ((performance.now() - startedAt) / 1000);
    progress.finish(`${read.toLocaleString('en')} events, ${Math.round(rate).toLocaleString('en')}/s`);
    return rate;
  } finally {
    db.close();
  }
}

/**
 * `eventsFile` is a log no server has open; when it is short of the minimum it gets more messages
 * on `channelId` (recorded while no engine runs: they wait for routing, as after an outage).
 */
export async function rebuildMetrics(
  eventsFile: string,
  scratchFile: string,
  channelId: string,
  sizes: RebuildBenchSizes,
): Promise<Metrics> {
  const events = SqliteEventStore.open({ file: eventsFile });
  const scratch = SqliteReadModelStore.open({ file: scratchFile });
  try {
    // As `cli replay` rebuilds: into a scratch store with every declared index.
    await scratch.declareIndexes(ALL_INDEXES);
    const head = Number((await events.headPosition()) ?? 0);
    if (head < sizes.minimumEvents) {
      await recordContactMessages(events, channelId, sizes.minimumEvents - head, 'log topped up with web chat messages');
    }
    const total = Number((await events.headPosition()) ?? 0);
    const readParse = readAndParse(eventsFile, total);
    const startedAt = performance.now();
    const applied = await rebuildProjections(events, scratch, ALL_PROJECTIONS, 'rebuild of every projection');
    return {
      'limit.read_parse.events_per_s': measured(readParse, 'events/s'),
      'projection.rebuild.events_per_s': measured(applied / ((performance.now() - startedAt) / 1000), 'events/s'),
      'projection.rebuild.log_events': measured(applied, 'events'),
    };
  } finally {
    await events.close();
    await scratch.close();
  }
}

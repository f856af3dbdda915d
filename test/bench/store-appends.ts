/**
 * The embedded event store's appends, side by side with a peer library doing the same work and
 * with bare SQLite inserts of the same rows: the inserts are the floor the store's overhead is
 * measured against.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';
import Database from 'better-sqlite3';
import { type NewEvent, SqliteEventStore, chainEvents } from '#eventstore';
import { Progress } from '../../apps/cli/src/progress.js';
import { type Metric, type Metrics, measured, missing } from './bench-report.js';

export interface StoreBenchSizes {
  concurrentAppenders: number;
  appendsPerAppender: number;
  serialAppends: number;
  /** The peer is far slower: fewer appends per appender keep its run short. */
  peerAppendsPerAppender: number;
}

/** An event shaped like a web chat message, the kind the store holds most of. */
const messageEvent = (streamName: string, index: number): NewEvent => {
  const messageId = randomUUID();
  return {
    id: randomUUID(),
    type: 'MessageReceived',
    data: {
      channelId: 'bench-channel',
      contactId: streamName,
      messageId,
      text: `Message number ${index}, about my order`,
      receivedAt: new Date().toISOString(),
    },
    metadata: {
      correlationId: messageId,
      causationId: messageId,
      actor: { sub: 'webchat:bench-channel', role: 'channel' },
      occurredAt: new Date().toISOString(),
      workspace: 'bench',
    },
  };
};

const streamOf = (appender: number): string => `conversation-bench-${appender}`;

/**
 * `appenders` loops at once, each appending `appendsEach` events one at a time to its own stream
 * and waiting for each; returns events per second.
 */
async function runAppenders(
  label: string,
  appenders: number,
  appendsEach: number,
  append: (streamName: string, index: number) => Promise<unknown>,
): Promise<number> {
  const total = appenders * appendsEach;
  const progress = new Progress(label, total, 'events');
  let done = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: appenders }, async (_, appender) => {
      for (let index = 0; index < appendsEach; index++) {
        await append(streamOf(appender), index);
        done += 1;
        if (done % 200 === 0) progress.update(done);
      }
    }),
  );
  const rate = total / ((performance.now() - startedAt) / 1000);
  progress.finish(`${Math.round(rate).toLocaleString('en')} events/s`);
  return rate;
}

/** Appends to the embedded store with the expected revision; also how many appends group commit put in one transaction. */
async function embeddedAppends(
  file: string,
  appenders: number,
  appendsEach: number,
  label: string,
): Promise<{ rate: number; meanBatch: number }> {
  const store = SqliteEventStore.open({ file });
  try {
    const rate = await runAppenders(label, appenders, appendsEach, (streamName, index) =>
      store.appendToStream(streamName, [messageEvent(streamName, index)], { expectedRevision: index === 0 ? 'no_stream' : index - 1 }),
    );
    const { appends, transactions } = store.stats();
    return { rate, meanBatch: appends / Math.max(transactions, 1) };
  } finally {
    await store.close();
  }
}

/** How often one peer append is tried when its COMMIT finds a statement of its own still running. */
const PEER_BUSY_ATTEMPTS = 3;

/**
 * The same appends through emmett-sqlite's event store. Its store opens a connection for each
 * call and closes it when the call ends, so calls that overlap close each other's connection
 * (SQLITE_MISUSE), and connections of their own contend for the write lock on libuv's few
 * threads (SQLITE_BUSY): its appenders take turns instead. Even one at a time, now and then a
 * COMMIT fails with "SQL statements in progress" (its INSERT … RETURNING is finalized
 * asynchronously); the transaction is rolled back, so the append is tried again.
 */
async function peerAppends(file: string, appenders: number, appendsEach: number): Promise<{ rate: number; retried: number }> {
  const store = getSQLiteEventStore({ fileName: file });
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work);
    turn = result.catch(() => undefined);
    return result;
  };
  let retried = 0;
  const append = async (streamName: string, index: number) => {
    for (let attempt = 1; ; attempt++) {
      try {
        // Emmett counts stream versions from 1: after k events the expected version is k.
        return await store.appendToStream(streamName, [messageEvent(streamName, index)], { expectedStreamVersion: BigInt(index) });
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || attempt >= PEER_BUSY_ATTEMPTS) throw error;
        retried += 1;
      }
    }
  };
  const rate = await runAppenders(
    `emmett-sqlite appends, ${appenders} appenders taking turns`,
    appenders,
    appendsEach,
    (streamName, index) => inTurn(() => append(streamName, index)),
  );
  return { rate, retried };
}

/**
 * Prepared INSERTs of the rows the store would write for `streams` appenders (hash chain
 * included), `batchSize` to a transaction, on a file with the store's own schema and durability
 * (WAL, synchronous=FULL): rows per second.
 */
async function bareInserts(file: string, streams: number, rowsPerStream: number, batchSize: number, label: string): Promise<number> {
  await SqliteEventStore.open({ file }).close();
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const insert = db.prepare(
      'INSERT INTO events (event_id, stream_name, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const chained = Array.from({ length: streams }, (_, stream) => {
      const streamName = streamOf(stream);
      return chainEvents(
        streamName,
        0,
        '',
        Array.from({ length: rowsPerStream }, (_, revision) => messageEvent(streamName, revision)),
      );
    });
    // In the order the appenders' rows arrive: every stream's first event, then every second one…
    const rows =
      chained[0]?.flatMap((_, revision) =>
        chained.map((events, stream) => {
          const event = events[revision];
          return [
            event.id,
            streamOf(stream),
            revision,
            event.type,
            JSON.stringify(event.data),
            JSON.stringify(event.metadata),
            new Date().toISOString(),
          ];
        }),
      ) ?? [];
    const insertBatch = db.transaction((batch: unknown[][]) => {
      for (const row of batch) insert.run(...row);
    });
    const progress = new Progress(label, rows.length, 'rows');
    const startedAt = performance.now();
    for (let first = 0; first < rows.length; first += batchSize) {
      insertBatch(rows.slice(first, first + batchSize));
      progress.update(Math.min(first + batchSize, rows.length));
    }
    const rate = rows.length / ((performance.now() - startedAt) / 1000);
    progress.finish(`${Math.round(rate).toLocaleString('en')} rows/s in transactions of ${batchSize}`);
    return rate;
  } finally {
    db.close();
  }
}

/** The peer's appends per second, or why they could not be measured. */
async function peerMetric(file: string, appenders: number, appendsEach: number): Promise<Metric> {
  try {
    const { rate, retried } = await peerAppends(file, appenders, appendsEach);
    process.stderr.write(`emmett-sqlite: ${retried} appends tried again after SQLITE_BUSY\n`);
    return measured(rate, 'events/s');
  } catch (error) {
    const reason = `emmett-sqlite 0.38.5 failed: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`${reason}\n`);
    return missing('events/s', reason);
  }
}

export async function storeMetrics(dataDir: string, sizes: StoreBenchSizes): Promise<Metrics> {
  const { concurrentAppenders, appendsPerAppender, serialAppends } = sizes;
  const grouped = await embeddedAppends(
    join(dataDir, 'appends-concurrent.sqlite'),
    concurrentAppenders,
    appendsPerAppender,
    `event store appends, ${concurrentAppenders} appenders`,
  );
  const serial = await embeddedAppends(join(dataDir, 'appends-serial.sqlite'), 1, serialAppends, 'event store appends, one appender');
  const batchSize = Math.max(1, Math.round(grouped.meanBatch));
  process.stderr.write(`group commit wrote ${grouped.meanBatch.toFixed(1)} appends per transaction on average\n`);
  return {
    'eventstore.append.events_per_s': measured(grouped.rate, 'events/s'),
    'eventstore.append_serial.events_per_s': measured(serial.rate, 'events/s'),
    'eventstore.append.mean_batch': measured(grouped.meanBatch, 'appends/transaction'),
    'peer.emmett_sqlite.append.events_per_s': await peerMetric(
      join(dataDir, 'emmett.sqlite'),
      concurrentAppenders,
      sizes.peerAppendsPerAppender,
    ),
    'limit.sqlite_insert_batched.rows_per_s': measured(
      await bareInserts(
        join(dataDir, 'inserts-batched.sqlite'),
        concurrentAppenders,
        appendsPerAppender,
        batchSize,
        'bare inserts, group commit batches',
      ),
      'rows/s',
    ),
    'limit.sqlite_insert_serial.rows_per_s': measured(
      await bareInserts(join(dataDir, 'inserts-serial.sqlite'), 1, serialAppends, 1, 'bare inserts, one per transaction'),
      'rows/s',
    ),
  };
}

import type Database from 'better-sqlite3';
import type { NewEvent, RecordedEvent } from '../event-store.port.js';
import { foreignRecordReason, NOT_JSON } from '../foreign-record.rules.js';
import { chainEvents } from '../hash-chain.js';
import type { SkippedRecordsLog } from '../skipped-records.log.js';
import { SQLITE_BOUND_LIMIT } from './sqlite-bound-limit.js';
import { toPosition } from './sqlite-position.js';

/**
 * `position` is the global sequence: AUTOINCREMENT never reuses a number, and because SQLite
 * admits one writer at a time, events become visible in position order — a reader that has
 * seen position N will never later find a smaller one committed. UNIQUE (stream_name, revision)
 * is the index that serves stream reads and stream heads.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position    INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT    NOT NULL UNIQUE,
    stream_name TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    UNIQUE (stream_name, revision)
  ) STRICT`;

const EVENT_COLUMNS = 'position, event_id, stream_name, revision, type, data, metadata, recorded_at';

/** SQLite reads a negative LIMIT as "no limit". */
const NO_LIMIT = -1;

interface EventRow {
  position: number;
  event_id: string;
  stream_name: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

/** Where an event already sits in the log. */
export interface StoredEventRef {
  eventId: string;
  streamName: string;
  revision: number;
  position: string;
}

export interface StreamHead {
  revision: number;
  position: string;
}

/** Every SQL statement over the events table, prepared once per connection. */
export class SqliteEventsTable {
  private readonly selectStreamHead;
  private readonly selectById;
  private readonly insertEvent;
  private readonly selectStream;
  private readonly selectAll;
  private readonly selectAllBackwards;
  private readonly selectLastPosition;
  private readonly selectMetadataAt;

  constructor(
    db: Database.Database,
    private readonly skippedRecords: SkippedRecordsLog,
  ) {
    db.exec(SCHEMA);
    this.selectStreamHead = db.prepare<[string], Pick<EventRow, 'revision' | 'position'>>(
      'SELECT revision, position FROM events WHERE stream_name = ? ORDER BY revision DESC LIMIT 1',
    );
    this.selectById = db.prepare<[string], Pick<EventRow, 'stream_name' | 'revision' | 'position'>>(
      'SELECT stream_name, revision, position FROM events WHERE event_id = ?',
    );
    this.insertEvent = db.prepare<[string, string, number, string, string, string, string]>(
      'INSERT INTO events (event_id, stream_name, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectStream = db.prepare<[string, number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_name = ? AND revision >= ? ORDER BY revision ${SQLITE_BOUND_LIMIT}`,
    );
    this.selectAll = db.prepare<[bigint, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position ${SQLITE_BOUND_LIMIT}`,
    );
    this.selectAllBackwards = db.prepare<[bigint, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position <= ? ORDER BY position DESC ${SQLITE_BOUND_LIMIT}`,
    );
    this.selectLastPosition = db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events');
    this.selectMetadataAt = db.prepare<[string, number], Pick<EventRow, 'metadata'>>(
      'SELECT metadata FROM events WHERE stream_name = ? AND revision = ?',
    );
  }

  streamHead(streamName: string): StreamHead | undefined {
    const row = this.selectStreamHead.get(streamName);
    return row && { revision: row.revision, position: toPosition(row.position) };
  }

  /** The stored events among `eventIds`, wherever they are, keyed by id. */
  findByIds(eventIds: readonly string[]): Map<string, StoredEventRef> {
    const stored = new Map<string, StoredEventRef>();
    // One indexed lookup per id measured faster than a single IN (json_each(…)) query.
    for (const eventId of eventIds) {
      const row = this.selectById.get(eventId);
      if (row) {
        stored.set(eventId, {
          eventId,
          streamName: row.stream_name,
          revision: row.revision,
          position: toPosition(row.position),
        });
      }
    }
    return stored;
  }

  /**
   * Inserts `events` from `firstRevision` on, each linked into the stream's hash chain (to
   * `knownPreviousHash` when the caller knows the last hash, else to the stored one), and
   * returns them as recorded, in order.
   */
  insert(
    streamName: string,
    firstRevision: number,
    events: readonly NewEvent[],
    recordedAt: string,
    knownPreviousHash?: string,
  ): RecordedEvent[] {
    const previousHash = knownPreviousHash ?? this.storedHashAt(streamName, firstRevision - 1);
    return chainEvents(streamName, firstRevision, previousHash, events).map((event, index) => {
      const revision = firstRevision + index;
      const data = JSON.stringify(event.data);
      const metadata = JSON.stringify(event.metadata);
      const { lastInsertRowid } = this.insertEvent.run(event.id, streamName, revision, event.type, data, metadata, recordedAt);
      return toRecordedEvent({
        position: Number(lastInsertRowid),
        event_id: event.id,
        stream_name: streamName,
        revision,
        type: event.type,
        data,
        metadata,
        recorded_at: recordedAt,
      });
    });
  }

  /** The hash of the stream's event at `revision`; empty before the first. */
  private storedHashAt(streamName: string, revision: number): string {
    const stored = revision < 0 ? undefined : this.selectMetadataAt.get(streamName, revision);
    if (stored === undefined) return '';
    // A row another tool wrote may hold any metadata, or none that parses: it carries no link.
    let metadata: unknown;
    try {
      metadata = JSON.parse(stored.metadata);
    } catch {
      return '';
    }
    const hash = metadata !== null && typeof metadata === 'object' ? (metadata as { hash?: unknown }).hash : undefined;
    return typeof hash === 'string' ? hash : '';
  }

  readStream(streamName: string, fromRevision = 0, maxCount?: number): RecordedEvent[] {
    return this.readEvents(maxCount, (limit, last) => this.selectStream.all(streamName, last ? last.revision + 1 : fromRevision, limit));
  }

  readAll(afterSequence: bigint, maxCount?: number): RecordedEvent[] {
    return this.readEvents(maxCount, (limit, last) => this.selectAll.all(last ? BigInt(last.position) : afterSequence, limit));
  }

  /** Newest first, from the event at or before `lastSequence` down. */
  readAllBackwards(lastSequence: bigint, maxCount?: number): RecordedEvent[] {
    return this.readEvents(maxCount, (limit, last) => this.selectAllBackwards.all(last ? BigInt(last.position) - 1n : lastSequence, limit));
  }

  /**
   * Up to `maxCount` events, read on past the rows another tool wrote (skipped and reported), so
   * that fewer events than asked for still means there are no more.
   */
  private readEvents(
    maxCount: number | undefined,
    selectAfter: (limit: number, last: EventRow | undefined) => EventRow[],
  ): RecordedEvent[] {
    const events: RecordedEvent[] = [];
    for (let last: EventRow | undefined; ;) {
      const limit = maxCount === undefined ? NO_LIMIT : maxCount - events.length;
      const rows = selectAfter(limit, last);
      for (const row of rows) {
        const event = this.eventOf(row);
        if (event) events.push(event);
      }
      if (limit === NO_LIMIT || rows.length < limit || events.length === maxCount) return events;
      last = rows[rows.length - 1];
    }
  }

  /** The event a row holds; undefined for a row another tool wrote, which is reported. */
  private eventOf(row: EventRow): RecordedEvent | undefined {
    const data = parsedOrNotJson(row.data);
    const metadata = parsedOrNotJson(row.metadata);
    const reason = foreignRecordReason(data, metadata);
    if (reason === undefined) return recordedEvent(row, data as RecordedEvent['data'], metadata as RecordedEvent['metadata']);
    const { event_id: id, type, stream_name: streamName, revision } = row;
    this.skippedRecords.skipped({ id, type, streamName, revision, position: toPosition(row.position) }, reason);
    return undefined;
  }

  lastPosition(): string | undefined {
    const { position } = this.selectLastPosition.get() ?? { position: null };
    return position === null ? undefined : toPosition(position);
  }
}

function parsedOrNotJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/** A row this store wrote: its data and metadata are JSON objects. */
const toRecordedEvent = (row: EventRow): RecordedEvent =>
  recordedEvent(row, JSON.parse(row.data) as RecordedEvent['data'], JSON.parse(row.metadata) as RecordedEvent['metadata']);

function recordedEvent(row: EventRow, data: RecordedEvent['data'], metadata: RecordedEvent['metadata']): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data,
    metadata,
    streamName: row.stream_name,
    revision: row.revision,
    position: toPosition(row.position),
    recordedAt: row.recorded_at,
  };
}

import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../event-store.port.js';
import { storedHash } from '../hash-chain.js';
import { SqliteConnectionCache } from './sqlite-connection.cache.js';

/** A stream's last revision and that event's hash; revision -1 (and no hash) for a stream without events. */
export interface KnownHead {
  readonly revision: number;
  readonly hash: string;
}

const NO_STREAM: KnownHead = { revision: -1, hash: '' };

/**
 * The heads of the streams a connection committed to or read to their end lately, exact for as
 * long as no other connection commits (see SqliteConnectionCache). A read from past a known head
 * needs no query.
 *
 * Heads are learnt once a transaction has committed, so inside a batch an append may find the
 * head from before the batch's own earlier appends: the INSERT of a taken revision fails on its
 * unique key, which is what the store's appends fall back on.
 */
export class StreamHeadsCache {
  private readonly heads: SqliteConnectionCache<KnownHead>;

  constructor(db: Pick<Database.Database, 'prepare'>, capacity: number) {
    this.heads = new SqliteConnectionCache(db, capacity);
  }

  /** The stream's head now, when it is known. */
  head(streamName: string): KnownHead | undefined {
    return this.heads.get(streamName);
  }

  /**
   * The stream's head as last learnt, perhaps moved by another connection since: for an append,
   * whose INSERT of a taken revision fails.
   */
  lastKnownHead(streamName: string): KnownHead | undefined {
    return this.heads.peek(streamName);
  }

  /** Events this connection just committed, in order. */
  committed(events: readonly RecordedEvent[]): void {
    for (const event of events) this.heads.set(event.streamName, { revision: event.revision, hash: storedHash(event) });
  }

  /** What a read of a stream from `fromRevision` returned, every event up to its end. */
  readToEnd(streamName: string, fromRevision: number, events: readonly RecordedEvent[]): void {
    const last = events.at(-1);
    if (last) this.heads.set(streamName, { revision: last.revision, hash: storedHash(last) });
    else if (fromRevision === 0) this.heads.set(streamName, NO_STREAM);
  }
}

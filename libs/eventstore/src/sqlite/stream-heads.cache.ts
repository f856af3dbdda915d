import type { RecordedEvent } from '../event-store.port.js';
import { storedHash } from '../hash-chain.js';

/** A stream's last revision and that event's hash; revision -1 (and no hash) for a stream without events. */
export interface KnownHead {
  readonly revision: number;
  readonly hash: string;
}

const NO_STREAM: KnownHead = { revision: -1, hash: '' };

/**
 * The heads of the streams this connection committed to or read to their end lately, exact for
 * as long as no other connection commits: SQLite's `PRAGMA data_version` changes exactly when one
 * has, and then every head known is forgotten. A read from past a known head needs no query.
 *
 * Heads are learnt once a transaction has committed, so inside a batch an append may find the
 * head from before the batch's own earlier appends: the INSERT of a taken revision fails on its
 * unique key, which is what the store's appends fall back on.
 */
export class StreamHeadsCache {
  private readonly heads = new Map<string, KnownHead>();
  private dataVersion: number;

  constructor(
    /** `PRAGMA data_version` of the connection whose reads and commits teach the heads. */
    private readonly readDataVersion: () => number,
    private readonly capacity: number,
  ) {
    this.dataVersion = readDataVersion();
  }

  /** The stream's head now, when it is known. */
  head(streamName: string): KnownHead | undefined {
    const dataVersion = this.readDataVersion();
    if (dataVersion !== this.dataVersion) {
      this.heads.clear();
      this.dataVersion = dataVersion;
      return undefined;
    }
    return this.heads.get(streamName);
  }

  /** Events this connection just committed, in order. */
  committed(events: readonly RecordedEvent[]): void {
    for (const event of events) this.learn(event.streamName, { revision: event.revision, hash: storedHash(event) });
  }

  /** What a read of a stream from `fromRevision` returned, every event up to its end. */
  readToEnd(streamName: string, fromRevision: number, events: readonly RecordedEvent[]): void {
    const last = events.at(-1);
    if (last) this.learn(streamName, { revision: last.revision, hash: storedHash(last) });
    else if (fromRevision === 0) this.learn(streamName, NO_STREAM);
  }

  private learn(streamName: string, head: KnownHead): void {
    this.heads.delete(streamName);
    this.heads.set(streamName, head);
    if (this.heads.size > this.capacity) this.heads.delete(this.heads.keys().next().value as string);
  }
}

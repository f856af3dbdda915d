/** Where an adapter reports what it skips; a pino logger, Nest's `Logger` or `console` will do. */
export interface EventStoreLogger {
  warn(message: string): void;
}

/** Where a skipped record sits in the log; never its data, which may hold anything. */
export interface SkippedRecord {
  id: string;
  type: string;
  streamName: string;
  revision: number;
  position: string;
}

/** Enough to report each of a few thousand foreign records once; beyond that one may be reported again. */
const REMEMBERED_POSITIONS = 10_000;

/**
 * Reports each record of the log an adapter skips because it was not written through the port,
 * once per store: every follower of the log and every read meets the same record, and a poll
 * meets a record at the end of the log again and again.
 */
export class SkippedRecordsLog {
  private readonly reported = new Set<string>();

  constructor(private readonly logger: EventStoreLogger) {}

  skipped({ id, type, streamName, revision, position }: SkippedRecord, reason: string): void {
    if (this.reported.has(position)) return;
    if (this.reported.size >= REMEMBERED_POSITIONS) this.reported.delete(this.reported.values().next().value as string);
    this.reported.add(position);
    this.logger.warn(
      `Skipped the record ${id} (${type}) at ${streamName}@${revision}, position ${position}: ${reason}; ` +
        'it was not written through this service and is not an event it can read',
    );
  }
}

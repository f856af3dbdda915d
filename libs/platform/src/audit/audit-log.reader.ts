import type { EventStore, RecordedEvent } from '#eventstore';

/** One event of the log as auditors see it. */
export interface AuditEventView {
  /** What other events name in `metadata.causationId`. */
  id: string;
  position: string;
  stream: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
  recordedAt: string;
}

/** Which events a caller gets: always only its workspace's, optionally one stream or one type. */
export interface AuditFilter {
  workspace: string;
  stream?: string;
  type?: string;
}

/** Oldest first reads on from the start of the log, newest first back from its head. */
export type AuditOrder = 'oldest' | 'newest';

export interface AuditPage {
  items: AuditEventView[];
  /** Where the next page starts, in the page's order; null once the scan reached that end of the log. */
  next: string | null;
}

export interface AuditScanLimits {
  /** Events read from the store per call. */
  readBatch: number;
  /** Events one page may look at: a filter that matches little must not make a request run unbounded. */
  scanBudget: number;
}

export const DEFAULT_SCAN_LIMITS: AuditScanLimits = { readBatch: 500, scanBudget: 10_000 };

export const auditEventView = (event: RecordedEvent): AuditEventView => ({
  id: event.id,
  position: event.position,
  stream: event.streamName,
  revision: event.revision,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
  recordedAt: event.recordedAt,
});

const matches = (event: RecordedEvent, filter: AuditFilter): boolean =>
  event.metadata?.workspace === filter.workspace &&
  (filter.stream === undefined || event.streamName === filter.stream) &&
  (filter.type === undefined || event.type === filter.type);

/** Reads the global log for auditors, filtered by workspace, stream and type. */
export class AuditLogReader {
  constructor(
    private readonly store: EventStore,
    private readonly limits: AuditScanLimits = DEFAULT_SCAN_LIMITS,
  ) {}

  /**
   * Up to `limit` matching events beyond `from` in `order` (after it oldest first, before it
   * newest first). `next` is the last event looked at (matching or not), so following it never
   * repeats an event nor skips one, whatever the filter. Throws the store's `InvalidPositionError`
   * for a `from` that is not one of its positions.
   */
  async page(filter: AuditFilter, from: string | undefined, limit: number, order: AuditOrder = 'oldest'): Promise<AuditPage> {
    const { readBatch, scanBudget } = this.limits;
    const items: AuditEventView[] = [];
    let cursor = from;
    let scanned = 0;
    while (scanned < scanBudget) {
      const maxCount = Math.min(readBatch, scanBudget - scanned);
      const batch =
        order === 'oldest'
          ? await this.store.readAll({ after: cursor, maxCount })
          : await this.store.readAllBackwards({ before: cursor, maxCount });
      for (const [index, event] of batch.entries()) {
        scanned += 1;
        cursor = event.position;
        if (!matches(event, filter)) continue;
        items.push(auditEventView(event));
        if (items.length === limit) {
          const logMayHoldMore = index < batch.length - 1 || batch.length === maxCount;
          return { items, next: logMayHoldMore ? cursor : null };
        }
      }
      // A short batch is the end of the log.
      if (batch.length < maxCount) return { items, next: null };
    }
    return { items, next: cursor ?? null };
  }

  /**
   * Every matching event up to `head`, one batch of the store at a time, so that memory stays
   * constant however long the log. Stopping at the head taken when the export began gives a
   * snapshot that ends, even while events keep arriving.
   */
  async *batchesUpTo(filter: AuditFilter, head: string | undefined): AsyncGenerator<AuditEventView[]> {
    if (head === undefined) return;
    const { readBatch } = this.limits;
    let cursor: string | undefined;
    for (;;) {
      const batch = await this.store.readAll({ after: cursor, maxCount: readBatch });
      const beforeHead = batch.filter((event) => this.store.comparePositions(event.position, head) <= 0);
      yield beforeHead.filter((event) => matches(event, filter)).map(auditEventView);
      if (batch.length < readBatch || beforeHead.length < batch.length) return;
      cursor = batch[batch.length - 1].position;
      if (this.store.comparePositions(cursor, head) >= 0) return;
    }
  }
}

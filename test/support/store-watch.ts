import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { ENGINE_PENDING_WORK_COLLECTION, type PendingWork } from '../../libs/engine/src/sessions/session-engine-state.projection.js';
import type { InProcessServer } from './test-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface StoreMarks {
  head: string | undefined;
  /** SQLite's data_version of the event log as a reader outside the server sees it: it moves with every commit of anyone else. */
  events: number;
  /** Every read-model document, hashed (checkpoints aside: a follower stores how far it got a moment after the events). */
  documents: string;
}

const hashOf = (rows: Iterable<unknown>): string => {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(JSON.stringify(row));
  return hash.digest('hex');
};

/**
 * An in-process server's two embedded stores, watched through read-only connections of their own:
 * marks that move with any write, a digest of every row, and a wait until everything the server
 * set off by itself is done. For tests that must tell whether a request changed stored data.
 */
export class StoreWatch {
  private readonly events: Database.Database;
  private readonly readModels: Database.Database;
  private readonly eventStore: EventStore;
  /** The documents' hash as of a data_version of the read-model file: hashed again only once that moves. */
  private documents = { version: -1, digest: '' };

  constructor(private readonly server: InProcessServer) {
    this.events = new Database(join(server.dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
    this.readModels = new Database(join(server.dataDir, 'read-models.sqlite'), { readonly: true, fileMustExist: true });
    this.eventStore = server.app.get<symbol, EventStore>(EVENT_STORE, { strict: false });
  }

  async marks(): Promise<StoreMarks> {
    const version = this.readModels.pragma('data_version', { simple: true }) as number;
    if (version !== this.documents.version) {
      this.documents = { version, digest: hashOf(this.readModels.prepare('SELECT * FROM documents ORDER BY collection, id').iterate()) };
    }
    return {
      head: await this.eventStore.headPosition(),
      events: this.events.pragma('data_version', { simple: true }) as number,
      documents: this.documents.digest,
    };
  }

  /** Every row of both stores, checkpoints included, hashed: equal digests, byte-identical data. */
  digest(): string {
    return hashOf(
      [
        this.events.prepare('SELECT * FROM events ORDER BY position'),
        this.readModels.prepare('SELECT * FROM documents ORDER BY collection, id'),
        this.readModels.prepare('SELECT * FROM checkpoints ORDER BY projection'),
      ].flatMap((rows) => rows.all()),
    );
  }

  /**
   * Waits until nothing more happens by itself: the engine and every projection have handled the
   * whole log, no owed work (a delivery, a timer) is due soon, and the log stays as it is for a
   * moment. With `checkpoints`, also until every follower has stored its checkpoint at the head.
   */
  async settled({ checkpoints = false } = {}): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const marks = await this.marks();
      if (await this.quiet(marks.head, checkpoints)) {
        await sleep(20);
        const again = await this.marks();
        if (again.head === marks.head && again.events === marks.events) return;
      }
      if (Date.now() > deadline) {
        const health = await this.server.api.request('GET', '/health', { token: null });
        throw new Error(`the server did not settle: ${JSON.stringify({ marks, health: health.body, owed: this.owedSoon() })}`);
      }
      await sleep(5);
    }
  }

  close(): void {
    this.events.close();
    this.readModels.close();
  }

  private async quiet(head: string | undefined, checkpoints: boolean): Promise<boolean> {
    const health = await this.server.api.request('GET', '/health', { token: null });
    const followers = [health.body.engine, ...Object.values(health.body.projections as Record<string, unknown>)] as { position?: string }[];
    const stored = checkpoints ? this.readModels.prepare<[], { position: string }>('SELECT position FROM checkpoints').all() : [];
    return (
      [...followers, ...stored].every((follower) => follower.position === head) &&
      (!checkpoints || stored.length === followers.length) &&
      this.owedSoon().length === 0
    );
  }

  /** Owed work due within the hour: a session's inactivity timer is a day away, a delivery is due at once. */
  private owedSoon(): PendingWork[] {
    const soon = Date.now() + 3_600_000;
    return this.readModels
      .prepare<[string], { body: string }>('SELECT body FROM documents WHERE collection = ?')
      .all(ENGINE_PENDING_WORK_COLLECTION)
      .map(({ body }) => JSON.parse(body) as PendingWork)
      .filter((work) => Date.parse(work.dueAt) < soon);
  }
}

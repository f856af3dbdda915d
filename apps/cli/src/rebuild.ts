import type { EventStore, RecordedEvent } from '#eventstore';
import { BufferedProjectionTransaction, type Projection, type ReadModelDocument, type ReadModelStore } from '#readmodel';
import { Progress, countedEvents } from './progress.js';

const PAGE_SIZE = 500;
/**
 * Events applied between two commits to the target. A rebuild writes a scratch store nothing
 * else reads, so large commits cost nothing but memory: each document is written once per
 * window however many events change it.
 */
const EVENTS_PER_COMMIT = 50_000;

export interface RebuildOptions {
  /** Per projection, the position to stop after (undefined: apply nothing); the whole log for the others. */
  upTo?: ReadonlyMap<string, string | undefined>;
  /** Events applied between two commits; EVENTS_PER_COMMIT by default. */
  eventsPerCommit?: number;
}

/** The documents one projection changed since its last commit, and the last event it applied. */
interface ProjectionWindow {
  tx: BufferedProjectionTransaction;
  last: string | undefined;
}

/**
 * What a rebuild has written so far, held as the JSON text the target stores: reads during a
 * rebuild never go back to the target for a document this rebuild produced, nor for one that
 * cannot be there (a projection the target holds nothing of yet). Replay and verify read every
 * rebuilt document out of the scratch store afterwards anyway, so holding them costs no more.
 */
class RebuiltDocuments {
  /** Collection → id → committed JSON, `null` where the rebuild deleted it. */
  private readonly committed = new Map<string, Map<string, string | null>>();
  private readonly windows = new Map<string, ProjectionWindow>();

  private constructor(
    private readonly target: ReadModelStore,
    private readonly checkpoints: Map<string, string | undefined>,
    /** Collections of projections the target had no checkpoint for: nothing of theirs is stored. */
    private readonly emptyCollections: ReadonlySet<string>,
  ) {}

  static async of(target: ReadModelStore, projections: readonly Projection[]): Promise<RebuiltDocuments> {
    const checkpoints = new Map<string, string | undefined>();
    const empty = new Set<string>();
    for (const projection of projections) {
      const checkpoint = await target.getCheckpoint(projection.name);
      checkpoints.set(projection.name, checkpoint);
      if (checkpoint === undefined) projection.collections.forEach((collection) => empty.add(collection));
    }
    return new RebuiltDocuments(target, checkpoints, empty);
  }

  async apply(projection: Projection, event: RecordedEvent): Promise<void> {
    const window = this.windowOf(projection.name);
    await projection.apply(event, window.tx);
    window.last = event.position;
  }

  /** Commits every projection's window to the target with its checkpoint, one commit each. */
  async commit(): Promise<void> {
    for (const [name, window] of this.windows) {
      if (window.last === undefined) continue;
      const writes = window.tx.seal();
      this.windows.delete(name);
      await this.target.commitWrites(name, { expected: this.checkpoints.get(name), next: window.last }, writes);
      this.checkpoints.set(name, window.last);
      for (const write of writes) this.collection(write.collection).set(write.id, write.kind === 'put' ? write.json : null);
    }
  }

  private windowOf(name: string): ProjectionWindow {
    let window = this.windows.get(name);
    if (!window) {
      window = { tx: new BufferedProjectionTransaction((collection, id) => this.read(collection, id)), last: undefined };
      this.windows.set(name, window);
    }
    return window;
  }

  private async read(collection: string, id: string): Promise<ReadModelDocument | undefined> {
    const json = this.committed.get(collection)?.get(id);
    if (json !== undefined) return json === null ? undefined : (JSON.parse(json) as ReadModelDocument);
    return this.emptyCollections.has(collection) ? undefined : this.target.get(collection, id);
  }

  private collection(collection: string): Map<string, string | null> {
    let byId = this.committed.get(collection);
    if (!byId) this.committed.set(collection, (byId = new Map<string, string | null>()));
    return byId;
  }
}

/**
 * Applies the whole log — or, per projection, the log up to `upTo` — to `projections` in
 * `target`, committing changes and checkpoints every `eventsPerCommit` events, with progress.
 * The same pure projections the server runs, so a rebuild and a live read model agree event for
 * event.
 */
export async function rebuildProjections(
  eventStore: EventStore,
  target: ReadModelStore,
  projections: readonly Projection[],
  label: string,
  { upTo = new Map(), eventsPerCommit = EVENTS_PER_COMMIT }: RebuildOptions = {},
): Promise<number> {
  const progress = new Progress(label, countedEvents(await eventStore.headPosition()));
  const within = (projection: Projection, event: RecordedEvent): boolean => {
    if (!upTo.has(projection.name)) return true;
    const limit = upTo.get(projection.name);
    return limit !== undefined && eventStore.comparePositions(event.position, limit) <= 0;
  };
  const rebuilt = await RebuiltDocuments.of(target, projections);
  let read = 0;
  let sinceCommit = 0;
  for (let after: string | undefined; ;) {
    const page = await eventStore.readAll({ after, maxCount: PAGE_SIZE });
    for (const projection of projections) {
      for (const event of page) if (within(projection, event)) await rebuilt.apply(projection, event);
    }
    read += page.length;
    sinceCommit += page.length;
    const last = page.length < PAGE_SIZE;
    if (last || sinceCommit >= eventsPerCommit) {
      await rebuilt.commit();
      sinceCommit = 0;
    }
    progress.update(read);
    if (last) break;
    after = page.at(-1)?.position;
  }
  progress.finish(`${read.toLocaleString('en')} events applied to ${projections.map(({ name }) => name).join(', ')}`);
  return read;
}

import type { ProjectionTransaction, ReadModelDocument } from './read-model-store.port.js';

/** A put carries the document as JSON text: what SQLite stores, and a copy no one can change. */
export type PendingWrite =
  { kind: 'put'; collection: string; id: string; workspace: string; json: string } | { kind: 'delete'; collection: string; id: string };

type ReadCommitted = (collection: string, id: string) => Promise<ReadModelDocument | undefined>;

/**
 * The transaction a projection works in: writes are held in memory until the store commits them
 * with the checkpoint, and reads see those pending writes before falling back to committed data.
 * Documents are held as JSON text, written once when put and parsed afresh on each read (committed
 * reads come fresh from the store), so editing a returned object is never a write.
 */
export class BufferedProjectionTransaction implements ProjectionTransaction {
  /** Latest pending state per collection and id, as JSON with its workspace; `null` marks a deletion. */
  private readonly pending = new Map<string, Map<string, { workspace: string; json: string } | null>>();
  private sealed = false;

  constructor(private readonly readCommitted: ReadCommitted) {}

  async get<T extends ReadModelDocument>(collection: string, id: string): Promise<T | undefined> {
    const pending = this.pending.get(collection)?.get(id);
    if (pending === undefined) return (await this.readCommitted(collection, id)) as T | undefined;
    return pending === null ? undefined : (JSON.parse(pending.json) as T);
  }

  put(collection: string, document: ReadModelDocument): void {
    this.stage(collection, document.id, { workspace: document.workspace, json: JSON.stringify(document) });
  }

  delete(collection: string, id: string): void {
    this.stage(collection, id, null);
  }

  /**
   * Hands the pending writes to the store, once. A write arriving later (a projection that did not
   * await its own work) fails loudly instead of being silently lost.
   */
  seal(): PendingWrite[] {
    this.sealed = true;
    return [...this.pending].flatMap(([collection, byId]) =>
      [...byId].map(([id, document]): PendingWrite =>
        document === null ? { kind: 'delete', collection, id } : { kind: 'put', collection, id, ...document },
      ),
    );
  }

  private stage(collection: string, id: string, document: { workspace: string; json: string } | null): void {
    if (this.sealed) throw new Error(`Write to ${collection}/${id} after its unit of work ended`);
    let byId = this.pending.get(collection);
    if (!byId) this.pending.set(collection, (byId = new Map<string, { workspace: string; json: string } | null>()));
    byId.set(id, document);
  }
}

/**
 * Runs one unit of projection work in a fresh buffered transaction and returns the writes it made,
 * for the store to commit with the checkpoint. The transaction is sealed even when the work throws.
 */
export async function collectWrites(
  readCommitted: ReadCommitted,
  work: (tx: ProjectionTransaction) => Promise<void>,
): Promise<PendingWrite[]> {
  const tx = new BufferedProjectionTransaction(readCommitted);
  let writes: PendingWrite[];
  try {
    await work(tx);
  } finally {
    writes = tx.seal();
  }
  return writes;
}

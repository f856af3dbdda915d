import { type NormalisedDocument, normalisedDocument } from './document-normalisation.js';
import type { ProjectionTransaction, ReadModelDocument } from './read-model-store.port.js';

/**
 * A put carries the document normalised for every store: as JSON text, what SQLite stores, and as
 * the plain value that text reads as, what MongoDB stores (parsed when first read). Neither is ever
 * handed out, so no one can change them.
 */
export type PendingWrite =
  | { kind: 'put'; collection: string; id: string; workspace: string; json: string; readonly document: ReadModelDocument }
  | { kind: 'delete'; collection: string; id: string };

type ReadCommitted = (collection: string, id: string) => Promise<ReadModelDocument | undefined>;

/** What a store refuses beyond what every store refuses (say, an array in a field it indexes); throws to refuse. */
export type DocumentCheck = (collection: string, normalised: NormalisedDocument) => void;

/**
 * The transaction a projection works in: writes are held in memory until the store commits them
 * with the checkpoint, and reads see those pending writes before falling back to committed data.
 * Documents are normalised when put (a document no store can hold fails the put, naming it) and
 * held as JSON text, parsed afresh on each read (committed reads come fresh from the store), so
 * editing a returned object is never a write.
 */
export class BufferedProjectionTransaction implements ProjectionTransaction {
  /** Latest pending state per collection and id; `null` marks a deletion. */
  private readonly pending = new Map<string, Map<string, NormalisedDocument | null>>();
  private sealed = false;

  constructor(
    private readonly readCommitted: ReadCommitted,
    private readonly check: DocumentCheck = () => undefined,
  ) {}

  async get<T extends ReadModelDocument>(collection: string, id: string): Promise<T | undefined> {
    const pending = this.pending.get(collection)?.get(id);
    if (pending === undefined) return (await this.readCommitted(collection, id)) as T | undefined;
    return pending === null ? undefined : (JSON.parse(pending.json) as T);
  }

  put(collection: string, document: ReadModelDocument): void {
    this.requireOpen(collection, document.id);
    const normalised = normalisedDocument(collection, document);
    this.check(collection, normalised);
    this.stage(collection, normalised.id, normalised);
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
      [...byId].map(([id, normalised]): PendingWrite =>
        normalised === null
          ? { kind: 'delete', collection, id }
          : {
              kind: 'put',
              collection,
              id,
              workspace: normalised.workspace,
              json: normalised.json,
              get document() {
                return normalised.document;
              },
            },
      ),
    );
  }

  private requireOpen(collection: string, id: string): void {
    if (this.sealed) throw new Error(`Write to ${collection}/${id} after its unit of work ended`);
  }

  private stage(collection: string, id: string, document: NormalisedDocument | null): void {
    this.requireOpen(collection, id);
    let byId = this.pending.get(collection);
    if (!byId) this.pending.set(collection, (byId = new Map<string, NormalisedDocument | null>()));
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
  check?: DocumentCheck,
): Promise<PendingWrite[]> {
  const tx = new BufferedProjectionTransaction(readCommitted, check);
  let writes: PendingWrite[];
  try {
    await work(tx);
  } finally {
    writes = tx.seal();
  }
  return writes;
}

/** Every read-model document belongs to one workspace and is found by id within its collection. */
export interface ReadModelDocument {
  id: string;
  workspace: string;
  [field: string]: unknown;
}

export interface ListQuery {
  workspace: string;
  /** Equality on top-level fields (string, number or boolean values). */
  where?: Record<string, string | number | boolean>;
  /** Name of a top-level string field; results are ordered by it descending, then by id descending. */
  orderBy: string;
  /** Keyset paging: only documents strictly before this (orderBy value, id) pair in that order. */
  before?: { value: string; id: string };
  limit: number;
}

/** What a projection sees while it applies events: reads include its own pending writes. */
export interface ProjectionTransaction {
  get<T extends ReadModelDocument>(collection: string, id: string): Promise<T | undefined>;
  put(collection: string, document: ReadModelDocument): void;
  delete(collection: string, id: string): void;
}

/** A projection's name and the collections it writes. */
export interface ProjectionCollections {
  name: string;
  collections: readonly string[];
}

/** Everything a store holds for some projections, read out of it to be written into another. */
export async function readProjections(
  store: ReadModelStore,
  projections: readonly ProjectionCollections[],
): Promise<{ documents: Map<string, ReadModelDocument[]>; checkpoints: Map<string, string | undefined> }> {
  const documents = new Map<string, ReadModelDocument[]>();
  const checkpoints = new Map<string, string | undefined>();
  for (const { name, collections } of projections) {
    checkpoints.set(name, await store.getCheckpoint(name));
    for (const collection of collections) {
      const found: ReadModelDocument[] = [];
      for await (const document of store.allDocuments(collection)) found.push(document);
      documents.set(collection, found);
    }
  }
  return { documents, checkpoints };
}

export class CheckpointConflictError extends Error {
  constructor(
    readonly projection: string,
    readonly expected: string | undefined,
    readonly actual: string | undefined,
  ) {
    super(
      `Projection ${projection}: expected checkpoint ${String(expected)}, found ${String(actual)} (another worker advanced it)`,
    );
    this.name = 'CheckpointConflictError';
  }
}

/** The read-model store port: one implementation per backend, all held to `read-model-store.contract.ts`. */
export interface ReadModelStore {
  getCheckpoint(projection: string): Promise<string | undefined>;
  /**
   * Runs `work`, then stores its writes and the projection's new checkpoint atomically — all or
   * nothing. Fails with `CheckpointConflictError` (writing nothing) unless the stored checkpoint
   * still equals `expectedCheckpoint`.
   */
  commit(
    projection: string,
    checkpoint: { expected: string | undefined; next: string },
    work: (tx: ProjectionTransaction) => Promise<void>,
  ): Promise<void>;
  get<T extends ReadModelDocument>(collection: string, id: string): Promise<T | undefined>;
  list<T extends ReadModelDocument>(collection: string, query: ListQuery): Promise<T[]>;
  /** Every document of `collection`, in every workspace, ordered by id: what verifying a rebuild compares. */
  allDocuments<T extends ReadModelDocument>(collection: string): AsyncIterable<T>;
  /**
   * Makes the documents of the projections' collections, and their checkpoints, those of `source`
   * — all in one atomic step, so readers see the old read models or the new ones, never a mix.
   */
  replaceProjections(source: ReadModelStore, projections: readonly ProjectionCollections[]): Promise<void>;
  close(): Promise<void>;
}

export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');

import type { PendingWrite } from './buffered-projection-transaction.js';

/** Every read-model document belongs to one workspace and is found by id within its collection. */
export interface ReadModelDocument {
  id: string;
  workspace: string;
  [field: string]: unknown;
}

/**
 * A query shape a store must answer fast: documents of `collection` in one workspace, with
 * equality on the `equals` fields (top-level names, in this order in the index), ordered by the
 * top-level field `orderBy`, then by id. It serves both directions.
 */
export interface ReadModelIndex {
  collection: string;
  equals: readonly string[];
  orderBy: string;
}

export interface ListQuery {
  workspace: string;
  /** Equality on top-level fields (string, number or boolean values). */
  where?: Record<string, string | number | boolean>;
  /** Name of a top-level string field; results are ordered by it, then by id, both in `order`. */
  orderBy: string;
  /** Default `desc`. */
  order?: 'desc' | 'asc';
  /** Keyset paging of a `desc` list: only documents strictly before this (orderBy value, id) pair. */
  before?: { value: string; id: string };
  /** Keyset paging of an `asc` list: only documents strictly after this (orderBy value, id) pair. */
  after?: { value: string; id: string };
  limit: number;
}

/** Where a list starts: strictly after `after` in its order, or at the first document without one. */
export interface ListPaging {
  order: 'asc' | 'desc';
  after?: { value: string; id: string };
}

/** A list's direction and keyset; a keyset that does not go with the direction is a programming error. */
export function listPaging({ order = 'desc', before, after }: ListQuery): ListPaging {
  if (order !== 'desc' && order !== 'asc') throw new Error(`A list's order is desc or asc, not ${JSON.stringify(order)}`);
  const [keyset, wrongKeyset] = order === 'desc' ? [before, after] : [after, before];
  if (wrongKeyset !== undefined) {
    throw new Error(`A list in ${order} order pages with ${order === 'desc' ? 'before, not after' : 'after, not before'}`);
  }
  return { order, after: keyset };
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

/** Everything a store holds for some projections: their collections' documents (each ordered by id) and their checkpoints. */
export interface ProjectionsSnapshot {
  documents: Map<string, ReadModelDocument[]>;
  checkpoints: Map<string, string | undefined>;
}

export class CheckpointConflictError extends Error {
  constructor(
    readonly projection: string,
    readonly expected: string | undefined,
    readonly actual: string | undefined,
  ) {
    super(`Projection ${projection}: expected checkpoint ${String(expected)}, found ${String(actual)} (another worker advanced it)`);
    this.name = 'CheckpointConflictError';
  }
}

/** A list query that no declared index serves: it would have to read the whole workspace. */
export class UndeclaredIndexError extends Error {
  constructor(
    readonly collection: string,
    readonly where: readonly string[],
    readonly orderBy: string,
  ) {
    super(
      `No declared index of collection "${collection}" serves a list where [${where.join(', ')}] ordered by ${orderBy}: ` +
        'declare it with the projection that writes the collection',
    );
    this.name = 'UndeclaredIndexError';
  }
}

/** One string for a document wherever it is kept in memory: NUL is in no collection name. */
export const documentKey = (collection: string, id: string): string => `${collection}\0${id}`;

/** A commit moves a projection's stored checkpoint from `expected` (undefined: none yet) to `next`. */
export interface CheckpointMove {
  expected: string | undefined;
  next: string;
}

/** The read-model store port: one implementation per backend, all held to `read-model-store.contract.ts`. */
export interface ReadModelStore {
  getCheckpoint(projection: string): Promise<string | undefined>;
  /**
   * Runs `work`, then stores its writes and the projection's new checkpoint atomically — all or
   * nothing. Fails with `CheckpointConflictError` (writing nothing) unless the stored checkpoint
   * still equals `expectedCheckpoint`.
   */
  commit(projection: string, checkpoint: CheckpointMove, work: (tx: ProjectionTransaction) => Promise<void>): Promise<void>;
  /**
   * Stores writes a `BufferedProjectionTransaction` collected elsewhere (a rebuild's, over many
   * events), with the projection's new checkpoint, as `commit` stores its work's: all or nothing,
   * refused with `CheckpointConflictError` unless the stored checkpoint still equals `expected`, and
   * with `DocumentRefusedError` for a put an index of this store cannot key by.
   */
  commitWrites(projection: string, checkpoint: CheckpointMove, writes: readonly PendingWrite[]): Promise<void>;
  get<T extends ReadModelDocument>(collection: string, id: string): Promise<T | undefined>;
  /**
   * Creates what serves these query shapes, keeping those already declared; may be called again
   * with more. Called at start, before anything lists.
   */
  declareIndexes(indexes: readonly ReadModelIndex[]): Promise<void>;
  /**
   * Fails with `UndeclaredIndexError` unless a declared index of `collection` has exactly the
   * `where` fields as `equals` and the same `orderBy`: no query reads a whole workspace.
   */
  list<T extends ReadModelDocument>(collection: string, query: ListQuery): Promise<T[]>;
  /** Every document of `collection`, in every workspace, ordered by id: what verifying a rebuild compares. */
  allDocuments<T extends ReadModelDocument>(collection: string): AsyncIterable<T>;
  /**
   * Makes the documents of the projections' collections, and their checkpoints, those of `source`
   * — all in one atomic step, so readers see the old read models or the new ones, never a mix.
   */
  replaceProjections(source: ReadModelStore, projections: readonly ProjectionCollections[]): Promise<void>;
  /**
   * The projections' documents and checkpoints as of one moment: a commit made meanwhile, by this
   * process or another, shows in all of them or in none. What a rebuild is compared with.
   */
  snapshotProjections(projections: readonly ProjectionCollections[]): Promise<ProjectionsSnapshot>;
  close(): Promise<void>;
}

export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');

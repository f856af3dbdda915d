import { BackendUnreachableError, storeFailure } from '#eventstore';
import {
  type ClientSession,
  type Collection,
  type Db,
  type IndexDescription,
  MongoClient,
  MongoServerError,
  type TransactionOptions,
  WriteConcern,
} from 'mongodb';
import { collectWrites, type PendingWrite } from '../buffered-projection-transaction.js';
import { DeclaredIndexes } from '../declared-indexes.js';
import {
  CheckpointConflictError,
  type ListQuery,
  type ProjectionCollections,
  type ProjectionTransaction,
  type ReadModelDocument,
  type ReadModelIndex,
  type ReadModelStore,
  readProjections,
} from '../read-model-store.port.js';
import { bulkWritesByCollection, fromStoredDocument, idFilter, type StoredDocument } from './mongodb-documents.js';
import { mongoIndexKey, mongoListQuery } from './mongodb-list-query.js';
import { CHECKPOINTS_COLLECTION, databaseNamedIn, mongoCollectionName } from './mongodb-names.js';
import { isMongoOutage } from './mongodb-outage.js';

export interface MongoReadModelStoreOptions {
  /** A connection string to a replica set or mongos: commits are multi-document transactions. */
  uri: string;
  /** Default: the database the connection string names, else `workflows`. */
  database?: string;
  /** How long to look for a usable server at start before giving up; default 10 s. */
  startupTimeoutMs?: number;
}

interface CheckpointDocument {
  _id: string;
  position: string;
}

const BACKEND = 'MongoDB';
const DEFAULT_DATABASE = 'workflows';
const DEFAULT_STARTUP_TIMEOUT_MS = 10_000;
/** No server to select, a dropped connection, an election: `StoreUnavailableError`. */
const mongoFailure = storeFailure(BACKEND, isMongoOutage);

/**
 * Snapshot isolation turns a concurrent commit of the same checkpoint into a write conflict, which
 * `withTransaction` retries; the retry then reads the new checkpoint and fails as a conflict.
 * Majority writes keep a commit through a failover.
 */
const COMMIT_TRANSACTION: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: new WriteConcern('majority'),
  readPreference: 'primary',
};

/** The production read-model store: one MongoDB collection per read-model collection, plus `checkpoints`. */
export class MongoReadModelStore implements ReadModelStore {
  private readonly indexes = new DeclaredIndexes();

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /** Connects and checks the server can run transactions; fails with `BackendUnreachableError` otherwise. */
  static async connect({
    uri,
    database,
    startupTimeoutMs = DEFAULT_STARTUP_TIMEOUT_MS,
  }: MongoReadModelStoreOptions): Promise<MongoReadModelStore> {
    let client: MongoClient | undefined;
    try {
      client = new MongoClient(uri, {
        serverSelectionTimeoutMS: startupTimeoutMs,
        // JSON, and so the SQLite store, drops undefined fields; BSON would store them as null.
        ignoreUndefined: true,
      });
      await client.connect();
      const db = client.db(database ?? databaseNamedIn(uri) ?? DEFAULT_DATABASE);
      await db.command({ ping: 1 });
      await requireTransactions(db);
      await createCollectionUnlessExists(db, CHECKPOINTS_COLLECTION);
      return new MongoReadModelStore(client, db);
    } catch (error) {
      // The startup failure is what the operator needs to see, not a failure to close after it.
      await client?.close().catch(() => undefined);
      throw new BackendUnreachableError(BACKEND, uri, error instanceof Error ? error.message : String(error));
    }
  }

  async getCheckpoint(projection: string): Promise<string | undefined> {
    return (await this.guarded(() => this.checkpoints().findOne(idFilter(projection))))?.position;
  }

  async commit(
    projection: string,
    checkpoint: { expected: string | undefined; next: string },
    work: (tx: ProjectionTransaction) => Promise<void>,
  ): Promise<void> {
    // The work runs outside the MongoDB transaction, which then only checks and writes: it stays
    // short, and a retry after a write conflict repeats the writes, never the work.
    const writes = await collectWrites((collection, id) => this.get(collection, id), work);
    await this.guarded(() =>
      this.client.withSession((session) =>
        session.withTransaction(() => this.applyInTransaction(session, projection, checkpoint, writes), COMMIT_TRANSACTION),
      ),
    );
  }

  async get<T extends ReadModelDocument>(collection: string, id: string): Promise<T | undefined> {
    const stored = await this.guarded(() => this.documents(collection).findOne(idFilter(id)));
    return stored ? fromStoredDocument<T>(stored) : undefined;
  }

  /** `createIndexes` leaves an index that already exists as it is, so other processes doing the same is harmless. */
  async declareIndexes(indexes: readonly ReadModelIndex[]): Promise<void> {
    await this.indexes.declare(indexes, async (fresh) => {
      const keysByCollection = new Map<string, IndexDescription[]>();
      for (const index of fresh) {
        keysByCollection.set(index.collection, [...(keysByCollection.get(index.collection) ?? []), { key: mongoIndexKey(index) }]);
      }
      for (const [collection, keys] of keysByCollection) await this.guarded(() => this.documents(collection).createIndexes(keys));
    });
  }

  async list<T extends ReadModelDocument>(collection: string, query: ListQuery): Promise<T[]> {
    this.indexes.serving(collection, query);
    const { filter, sort, limit } = mongoListQuery(query);
    // MongoDB reads a limit of 0 as "no limit".
    if (limit === 0) return [];
    const found = await this.guarded(() => this.documents(collection).find(filter, { sort, limit }).toArray());
    return found.map((stored) => fromStoredDocument<T>(stored));
  }

  async *allDocuments<T extends ReadModelDocument>(collection: string): AsyncIterable<T> {
    const cursor = this.documents(collection).find({}).sort({ _id: 1 });
    try {
      for (;;) {
        const stored = await this.guarded(() => cursor.next());
        if (stored === null) return;
        yield fromStoredDocument<T>(stored);
      }
    } finally {
      await cursor.close();
    }
  }

  /** One transaction: the collections emptied and refilled, the checkpoints set. */
  async replaceProjections(source: ReadModelStore, projections: readonly ProjectionCollections[]): Promise<void> {
    const { documents, checkpoints } = await readProjections(source, projections);
    await this.guarded(() =>
      this.client.withSession((session) =>
        session.withTransaction(async () => {
          for (const [collection, replacements] of documents) {
            const target = this.documents(collection);
            await target.deleteMany({}, { session });
            if (replacements.length > 0) {
              await target.insertMany(
                replacements.map(({ id, ...fields }) => ({ _id: id, ...fields })),
                { session },
              );
            }
          }
          for (const [projection, position] of checkpoints) {
            if (position === undefined) await this.checkpoints().deleteOne(idFilter(projection), { session });
            else await this.checkpoints().replaceOne(idFilter(projection), { position }, { session, upsert: true });
          }
        }, COMMIT_TRANSACTION),
      ),
    );
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * Every operation takes the session, or it would run outside the transaction. A
   * `CheckpointConflictError` is not a MongoDB error, so `withTransaction` aborts and rethrows it
   * as it is instead of retrying.
   */
  private async applyInTransaction(
    session: ClientSession,
    projection: string,
    { expected, next }: { expected: string | undefined; next: string },
    writes: PendingWrite[],
  ): Promise<void> {
    const checkpoints = this.checkpoints();
    const actual = (await checkpoints.findOne(idFilter(projection), { session }))?.position;
    if (actual !== expected) throw new CheckpointConflictError(projection, expected, actual);
    for (const [collection, operations] of bulkWritesByCollection(writes)) {
      await this.documents(collection).bulkWrite(operations, { session });
    }
    await checkpoints.replaceOne(idFilter(projection), { position: next }, { session, upsert: true });
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw mongoFailure(error);
    }
  }

  private documents(collection: string): Collection<StoredDocument> {
    return this.db.collection<StoredDocument>(mongoCollectionName(collection));
  }

  private checkpoints(): Collection<CheckpointDocument> {
    return this.db.collection<CheckpointDocument>(CHECKPOINTS_COLLECTION);
  }
}

/** A standalone server cannot run transactions; better to say so at start than at the first commit. */
async function requireTransactions(db: Db): Promise<void> {
  const hello = await db.command({ hello: 1 });
  if (typeof hello.setName !== 'string' && hello.msg !== 'isdbgrid') {
    throw new Error('it is a standalone server, but commits need transactions: run it as a replica set (--replSet)');
  }
}

/**
 * Created up front, so that the first commits of several projections do not all race to create it
 * inside their transactions. Servers before 7.0 answer NamespaceExists when it is already there.
 */
async function createCollectionUnlessExists(db: Db, name: string): Promise<void> {
  try {
    await db.createCollection(name);
  } catch (error) {
    if (!(error instanceof MongoServerError && error.codeName === 'NamespaceExists')) throw error;
  }
}

import { randomBytes } from 'node:crypto';
import { BackendUnreachableError, storeFailure } from '#eventstore';
import {
  type ClientSession,
  type Collection,
  type Db,
  type FindOptions,
  MongoClient,
  MongoServerError,
  type ServerHeartbeatFailedEvent,
  type Timestamp,
} from 'mongodb';
import { collectWrites, type PendingWrite } from '../buffered-projection-transaction.js';
import { DeclaredIndexes } from '../declared-indexes.js';
import { normalisedDocument } from '../document-normalisation.js';
import {
  CheckpointConflictError,
  type CheckpointMove,
  type ListQuery,
  type ProjectionCollections,
  type ProjectionsSnapshot,
  type ProjectionTransaction,
  type ReadModelDocument,
  type ReadModelIndex,
  type ReadModelStore,
} from '../read-model-store.port.js';
import {
  COMMIT_DEADLINE_MS,
  COMMIT_TRANSACTION,
  DEFAULT_STARTUP_TIMEOUT_MS,
  MONGO_CLIENT_OPTIONS,
  MONGO_DATABASE_OPTIONS,
  snapshotRead,
  UNIT_READ_MAX_TIME_MS,
} from './mongodb-client-options.js';
import { bulkWritesByCollection, fromStoredDocument, idFilter, type StoredDocument, toStoredDocument } from './mongodb-documents.js';
import {
  type Generation,
  generationCollectionName,
  newGeneration,
  planGenerationSwitch,
  requireGenerationsRead,
  retiredGenerations,
} from './mongodb-generations.js';
import { type ExistingIndex, indexesToCreate } from './mongodb-indexes.js';
import { mongoListQuery } from './mongodb-list-query.js';
import { CHECKPOINTS_COLLECTION, databaseNamedIn, GENERATIONS_COLLECTION, mongoCollectionName } from './mongodb-names.js';
import { isMongoOutage } from './mongodb-outage.js';
import { runTransaction } from './mongodb-transaction.js';

export interface MongoReadModelStoreOptions {
  /** A connection string to a replica set or mongos: commits are multi-document transactions. */
  uri: string;
  /** Default: the database the connection string names, else `workflows`. */
  database?: string;
  /** How long to look for a usable server at start before giving up; default 10 s. */
  startupTimeoutMs?: number;
}

/** A rebuild's switch names its generation in every checkpoint it sets, even one it leaves without a position. */
interface CheckpointDocument {
  _id: string;
  position?: string;
  generation?: string;
}

interface GenerationDocument {
  _id: string;
  generation: string;
}

const BACKEND = 'MongoDB';
const DEFAULT_DATABASE = 'workflows';
/** A rebuild copies this many documents, or this many bytes, per insert: memory stays bounded whatever the read model's size. */
const COPY_BATCH_DOCUMENTS = 1000;
const COPY_BATCH_BYTES = 16 * 1024 * 1024;
/** No server to select, a dropped connection, an election: `StoreUnavailableError`. */
const mongoFailure = storeFailure(BACKEND, isMongoOutage);

/**
 * The production read-model store. Each read-model collection lives in the MongoDB collection of
 * its name, or, once rebuilt, in a generation of it (`<collection>.<generation>`) that the
 * `read-model-generations` collection names; checkpoints are in `checkpoints`.
 */
export class MongoReadModelStore implements ReadModelStore {
  private readonly indexes = new DeclaredIndexes();
  /** The latest commit of this store, so that the reads of the next unit see at least what it wrote. */
  private lastCommitTime: Timestamp | undefined;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /**
   * Connects and checks the server can run transactions; fails with `BackendUnreachableError`
   * after `startupTimeoutMs` at most. The client keeps the longer server selection timeout of
   * `MONGO_CLIENT_OPTIONS` for the rest of its life.
   */
  static async connect({
    uri,
    database,
    startupTimeoutMs = DEFAULT_STARTUP_TIMEOUT_MS,
  }: MongoReadModelStoreOptions): Promise<MongoReadModelStore> {
    let client: MongoClient | undefined;
    let lastHeartbeatFailure: string | undefined;
    try {
      client = new MongoClient(uri, MONGO_CLIENT_OPTIONS);
      const noteFailure = ({ failure }: ServerHeartbeatFailedEvent) => (lastHeartbeatFailure = failure.message);
      client.on('serverHeartbeatFailed', noteFailure);
      const connected = client;
      const db = connected.db(database ?? databaseNamedIn(uri) ?? DEFAULT_DATABASE, MONGO_DATABASE_OPTIONS);
      await withinStartupTime(
        startupTimeoutMs,
        async () => {
          await connected.connect();
          await db.command({ ping: 1 });
          await requireTransactions(db);
          // Created up front, so that the first commits of several projections do not all race to create them in their transactions.
          for (const name of [CHECKPOINTS_COLLECTION, GENERATIONS_COLLECTION]) await createCollectionUnlessExists(db, name);
        },
        () => `no usable server answered within ${startupTimeoutMs} ms${lastHeartbeatFailure ? ` (${lastHeartbeatFailure})` : ''}`,
      );
      connected.off('serverHeartbeatFailed', noteFailure);
      return new MongoReadModelStore(connected, db);
    } catch (error) {
      // The startup failure is what the operator needs to see, not a failure to close after it.
      await client?.close().catch(() => undefined);
      throw new BackendUnreachableError(BACKEND, uri, error instanceof Error ? error.message : String(error));
    }
  }

  async getCheckpoint(projection: string): Promise<string | undefined> {
    return (await this.guarded(() => this.checkpoints().findOne(idFilter(projection))))?.position;
  }

  /**
   * The work runs before the MongoDB transaction, which then only checks and writes: it stays
   * short, and a retry after a write conflict repeats the writes, never the work. The work reads in
   * the same causally consistent session, after this store's last commit, from the generations
   * the transaction then checks are still the ones readers use.
   */
  async commit(projection: string, checkpoint: CheckpointMove, work: (tx: ProjectionTransaction) => Promise<void>): Promise<void> {
    await this.guarded(() =>
      this.withCausalSession(async (session) => {
        const read = new Map<string, Generation>();
        const readCommitted = async (collection: string, id: string) => {
          if (!read.has(collection)) read.set(collection, await this.activeGeneration(collection, { session }));
          const stored = await this.documents(collection, read.get(collection)).findOne(idFilter(id), {
            session,
            maxTimeMS: UNIT_READ_MAX_TIME_MS,
          });
          return stored ? fromStoredDocument(stored) : undefined;
        };
        const writes = await collectWrites(readCommitted, work, (collection, normalised) =>
          this.indexes.requireIndexable(collection, normalised),
        );
        await runTransaction(session, COMMIT_TRANSACTION, COMMIT_DEADLINE_MS, () =>
          this.applyInTransaction(session, projection, checkpoint, writes, read),
        );
      }),
    );
  }

  /** Writes decided outside a unit of this store read no generation of it: the checkpoint is what guards them. */
  async commitWrites(projection: string, checkpoint: CheckpointMove, writes: readonly PendingWrite[]): Promise<void> {
    this.indexes.requireIndexableWrites(writes);
    await this.guarded(() =>
      this.withCausalSession((session) =>
        runTransaction(session, COMMIT_TRANSACTION, COMMIT_DEADLINE_MS, () =>
          this.applyInTransaction(session, projection, checkpoint, writes, new Map()),
        ),
      ),
    );
  }

  async get<T extends ReadModelDocument>(collection: string, id: string): Promise<T | undefined> {
    const stored = await this.guarded(async () =>
      this.documents(collection, await this.activeGeneration(collection)).findOne(idFilter(id)),
    );
    return stored ? fromStoredDocument<T>(stored) : undefined;
  }

  /**
   * Called at start: creates the indexes on the generation readers use, and refuses, before
   * creating any, a collection that would hold more indexes than MongoDB allows. `createIndexes`
   * leaves an index that exists as it is, so other processes doing the same is harmless. No query
   * ever creates an index.
   */
  async declareIndexes(indexes: readonly ReadModelIndex[]): Promise<void> {
    await this.indexes.declare(indexes, async (fresh) => {
      const plans: { target: Collection<StoredDocument>; create: ReturnType<typeof indexesToCreate> }[] = [];
      for (const collection of new Set(fresh.map((index) => index.collection))) {
        const target = this.documents(collection, await this.guarded(() => this.activeGeneration(collection)));
        const declared = [...this.indexes.declaredFor(collection), ...fresh.filter((index) => index.collection === collection)];
        plans.push({ target, create: indexesToCreate(collection, declared, await this.guarded(() => existingIndexes(target))) });
      }
      for (const { target, create } of plans) if (create.length > 0) await this.guarded(() => target.createIndexes(create));
    });
  }

  async list<T extends ReadModelDocument>(collection: string, query: ListQuery): Promise<T[]> {
    this.indexes.serving(collection, query);
    const { filter, sort, limit } = mongoListQuery(query);
    // MongoDB reads a limit of 0 as "no limit".
    if (limit === 0) return [];
    const found = await this.guarded(async () =>
      this.documents(collection, await this.activeGeneration(collection))
        .find(filter, { sort, limit })
        .toArray(),
    );
    return found.map((stored) => fromStoredDocument<T>(stored));
  }

  /** From the generation readers use when it starts, to the end, even should a rebuild switch the collection meanwhile. */
  async *allDocuments<T extends ReadModelDocument>(collection: string): AsyncIterable<T> {
    const generation = await this.guarded(() => this.activeGeneration(collection));
    const cursor = this.documents(collection, generation).find({}).sort({ _id: 1 });
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

  /**
   * Copies the source's documents, a batch at a time and outside any transaction, into a new
   * generation of each collection, indexed as declared; readers meanwhile see the generation they
   * had. One short transaction then switches every collection to the new generation and sets the
   * checkpoints, so readers see the old read models or the new ones, never a mix. The generation
   * replaced stays until the next switch; older ones, and what failed rebuilds left, are dropped.
   */
  async replaceProjections(source: ReadModelStore, projections: readonly ProjectionCollections[]): Promise<void> {
    const generation = newGeneration(Date.now(), randomBytes(4).toString('hex'));
    const collections = [...new Set(projections.flatMap((projection) => projection.collections.map(mongoCollectionName)))];
    const checkpoints = new Map<string, string | undefined>();
    for (const { name } of projections) checkpoints.set(name, await source.getCheckpoint(name));
    const copiedBeside = await this.guarded(() => this.activeGenerations(collections));
    try {
      for (const collection of collections) await this.copyInto(collection, generation, source);
      await this.guarded(() =>
        this.withCausalSession((session) =>
          runTransaction(session, COMMIT_TRANSACTION, COMMIT_DEADLINE_MS, () =>
            this.switchGenerations(session, { generation, copiedBeside, checkpoints }),
          ),
        ),
      );
    } catch (error) {
      await this.discardCopies(collections, generation);
      throw error;
    }
    await this.dropRetiredGenerations(collections, generation, copiedBeside);
  }

  /**
   * A snapshot session: every read in it is at one majority-committed point in time, within the
   * server's snapshot history (`minSnapshotHistoryWindowInSeconds`, 5 minutes by default).
   */
  async snapshotProjections(projections: readonly ProjectionCollections[]): Promise<ProjectionsSnapshot> {
    const session = this.client.startSession({ snapshot: true });
    const read = snapshotRead(session);
    try {
      const snapshot: ProjectionsSnapshot = { documents: new Map(), checkpoints: new Map() };
      for (const { name, collections } of projections) {
        const checkpoint = await this.guarded(() => this.checkpoints().findOne(idFilter(name), read));
        snapshot.checkpoints.set(name, checkpoint?.position);
        for (const collection of collections) {
          const stored = await this.guarded(async () =>
            this.documents(collection, await this.activeGeneration(collection, read))
              .find({}, { ...read, sort: { _id: 1 } })
              .toArray(),
          );
          snapshot.documents.set(
            collection,
            stored.map((document) => fromStoredDocument(document)),
          );
        }
      }
      return snapshot;
    } finally {
      await session.endSession();
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** One generation of one collection, filled from the source and then indexed: building an index over data is quicker than keeping it while filling. */
  private async copyInto(collection: string, generation: string, source: ReadModelStore): Promise<void> {
    const target = this.documents(collection, generation);
    await this.guarded(() => this.db.createCollection(target.collectionName));
    let batch: StoredDocument[] = [];
    let batchBytes = 0;
    let copied = 0;
    const flush = async () => {
      if (batch.length > 0) await this.guarded(() => target.insertMany(batch, { ordered: false }));
      copied += batch.length;
      [batch, batchBytes] = [[], 0];
    };
    for await (const document of source.allDocuments(collection)) {
      const normalised = normalisedDocument(collection, document);
      this.indexes.requireIndexable(collection, normalised);
      batch.push(toStoredDocument(normalised.document));
      batchBytes += normalised.bsonBytes;
      if (batch.length >= COPY_BATCH_DOCUMENTS || batchBytes >= COPY_BATCH_BYTES) await flush();
    }
    await flush();
    // Another rebuild's clean-up may have dropped this copy under it, and an insert then made it anew.
    const held = await this.guarded(() => target.countDocuments({}));
    if (held !== copied) {
      throw new Error(
        `The copy of collection "${collection}" holds ${held} of the ${copied} documents copied: another rebuild ran at the same time`,
      );
    }
    const create = indexesToCreate(collection, this.indexes.declaredFor(collection), []);
    if (create.length > 0) await this.guarded(() => target.createIndexes(create));
  }

  /**
   * After a failed rebuild: its copies go, but not one its switch made active after all (a commit
   * whose outcome was unknown). When that cannot be told, they stay for the next switch to drop.
   */
  private async discardCopies(collections: readonly string[], generation: string): Promise<void> {
    const active = await this.activeGenerations(collections).catch(() => undefined);
    if (active === undefined) return;
    for (const collection of collections) {
      if (active.get(collection) !== generation) {
        await this.db.dropCollection(generationCollectionName(collection, generation)).catch(() => undefined);
      }
    }
  }

  /** Inside the switch's transaction: checks no other rebuild switched the collections since the copy began, then switches. */
  private async switchGenerations(
    session: ClientSession,
    switchTo: { generation: string; copiedBeside: ReadonlyMap<string, Generation>; checkpoints: ReadonlyMap<string, string | undefined> },
  ): Promise<void> {
    const activeNow = await this.activeGenerations([...switchTo.copiedBeside.keys()], session);
    const plan = planGenerationSwitch({ ...switchTo, activeNow });
    for (const { collection, generation } of plan.generations) {
      await this.generations().replaceOne({ _id: collection }, { generation }, { session, upsert: true });
    }
    for (const { projection, document } of plan.checkpoints) {
      await this.checkpoints().replaceOne(idFilter(projection), document, { session, upsert: true });
    }
  }

  /** Best effort: a generation left behind is dropped by the next switch of its collection. */
  private async dropRetiredGenerations(collections: readonly string[], active: string, replaced: ReadonlyMap<string, Generation>) {
    const names = await this.db
      .listCollections({}, { nameOnly: true })
      .toArray()
      .then((found) => found.map(({ name }) => name))
      .catch(() => []);
    for (const collection of collections) {
      for (const name of retiredGenerations(collection, names, active, replaced.get(collection))) {
        await this.db.dropCollection(name).catch(() => undefined);
      }
    }
  }

  /**
   * Every operation takes the session, or it would run outside the transaction. A
   * `CheckpointConflictError` or `GenerationSwitchedError` is not a MongoDB error, so the
   * transaction is aborted and it is thrown as it is instead of retried.
   */
  private async applyInTransaction(
    session: ClientSession,
    projection: string,
    { expected, next }: CheckpointMove,
    writes: readonly PendingWrite[],
    read: ReadonlyMap<string, Generation>,
  ): Promise<void> {
    const checkpoints = this.checkpoints();
    const actual = (await checkpoints.findOne(idFilter(projection), { session }))?.position;
    if (actual !== expected) throw new CheckpointConflictError(projection, expected, actual);
    const operations = bulkWritesByCollection(writes);
    const active = await this.activeGenerations([...new Set([...read.keys(), ...operations.keys()])], session);
    requireGenerationsRead(read, active);
    for (const [collection, bulk] of operations) {
      await this.documents(collection, active.get(collection)).bulkWrite(bulk, { session });
    }
    // $set keeps the generation a rebuild named in the checkpoint.
    await checkpoints.updateOne(idFilter(projection), { $set: { position: next } }, { session, upsert: true });
  }

  /**
   * A causally consistent session that reads at least what this store last committed: after an
   * election, the new primary may not yet show it to a majority read otherwise.
   */
  private async withCausalSession<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = this.client.startSession({ causalConsistency: true });
    try {
      if (this.lastCommitTime) session.advanceOperationTime(this.lastCommitTime);
      const result = await work(session);
      const committedAt = session.operationTime;
      if (committedAt && (!this.lastCommitTime || committedAt.greaterThan(this.lastCommitTime))) this.lastCommitTime = committedAt;
      return result;
    } finally {
      await session.endSession();
    }
  }

  private async activeGeneration(
    collection: string,
    read?: { session: ClientSession } & Pick<FindOptions, 'readConcern'>,
  ): Promise<Generation> {
    return (await this.generations().findOne({ _id: mongoCollectionName(collection) }, read))?.generation;
  }

  private async activeGenerations(collections: readonly string[], session?: ClientSession): Promise<Map<string, Generation>> {
    const found = await this.generations()
      .find({ _id: { $in: collections.map(mongoCollectionName) } }, { session })
      .toArray();
    const byCollection = new Map(found.map(({ _id, generation }) => [_id, generation]));
    return new Map(collections.map((collection) => [collection, byCollection.get(collection)]));
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw mongoFailure(error);
    }
  }

  private documents(collection: string, generation: Generation): Collection<StoredDocument> {
    return this.db.collection<StoredDocument>(generationCollectionName(mongoCollectionName(collection), generation));
  }

  private checkpoints(): Collection<CheckpointDocument> {
    return this.db.collection<CheckpointDocument>(CHECKPOINTS_COLLECTION);
  }

  private generations(): Collection<GenerationDocument> {
    return this.db.collection<GenerationDocument>(GENERATIONS_COLLECTION);
  }
}

/**
 * Settles with `work`, or fails after `timeoutMs` with `reason()`: the start fails fast although the
 * client's own server selection waits longer. The caller closes the client, which ends `work`.
 */
async function withinStartupTime(timeoutMs: number, work: () => Promise<void>, reason: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const started = work();
  // Once timed out, the client is closed under it: that failure is no one's to report.
  started.catch(() => undefined);
  try {
    await Promise.race([started, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(reason())), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** A collection that does not exist yet has no indexes. */
async function existingIndexes(collection: Collection<StoredDocument>): Promise<ExistingIndex[]> {
  try {
    const found = await collection.listIndexes().toArray();
    return found.map(({ name, key }: { name?: string; key: Record<string, unknown> }) => ({ name, key }));
  } catch (error) {
    if (error instanceof MongoServerError && error.codeName === 'NamespaceNotFound') return [];
    throw error;
  }
}

/** A standalone server cannot run transactions; better to say so at start than at the first commit. */
async function requireTransactions(db: Db): Promise<void> {
  const hello = await db.command({ hello: 1 });
  if (typeof hello.setName !== 'string' && hello.msg !== 'isdbgrid') {
    throw new Error('it is a standalone server, but commits need transactions: run it as a replica set (--replSet)');
  }
}

/** Servers before 7.0 answer NamespaceExists when it is already there. */
async function createCollectionUnlessExists(db: Db, name: string): Promise<void> {
  try {
    await db.createCollection(name);
  } catch (error) {
    if (!(error instanceof MongoServerError && error.codeName === 'NamespaceExists')) throw error;
  }
}

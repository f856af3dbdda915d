import Database from 'better-sqlite3';
import { createOwnerOnlyIfMissing, isSqliteOutage, SQLITE_BOUND_LIMIT, SqliteConnectionCache, storeFailure } from '#eventstore';
import { collectWrites, type PendingWrite } from '../buffered-projection-transaction.js';
import { DeclaredIndexes } from '../declared-indexes.js';
import { normalisedDocument } from '../document-normalisation.js';
import {
  CheckpointConflictError,
  type CheckpointMove,
  documentKey,
  type ListQuery,
  type ProjectionCollections,
  type ProjectionsSnapshot,
  type ProjectionTransaction,
  type ReadModelDocument,
  type ReadModelIndex,
  type ReadModelStore,
} from '../read-model-store.port.js';
import { sqliteIndexDefinition, sqliteListQuery } from './sqlite-list-query.js';

const LOCKED_FILE_WAIT_MS = 50;
const SCAN_PAGE_SIZE = 500;
/** The documents of some hundreds of conversations going on at once. */
const DOCUMENTS_KEPT = 4096;
/** Larger documents are read from the file each time, so that what is kept stays small. */
const LARGEST_KEPT_BODY = 16 * 1024;
/** A locked, unreadable or full file fails a call with `StoreUnavailableError`. */
const sqliteFailure = storeFailure('The SQLite read-model store', isSqliteOutage);

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS documents (
    collection TEXT NOT NULL,
    id         TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (collection, id)
  );
  -- Every list is served by an index declared for its shape; this one made each a scan of the workspace.
  DROP INDEX IF EXISTS documents_by_workspace;
  CREATE TABLE IF NOT EXISTS checkpoints (
    projection TEXT PRIMARY KEY,
    position   TEXT NOT NULL
  );
`;

function prepareStatements(db: Database.Database) {
  return {
    getDocument: db.prepare<[string, string], { body: string }>('SELECT body FROM documents WHERE collection = ? AND id = ?'),
    putDocument: db.prepare<[string, string, string, string]>(
      `INSERT INTO documents (collection, id, workspace, body) VALUES (?, ?, ?, ?)
       ON CONFLICT (collection, id) DO UPDATE SET workspace = excluded.workspace, body = excluded.body`,
    ),
    deleteDocument: db.prepare<[string, string]>('DELETE FROM documents WHERE collection = ? AND id = ?'),
    pageOfCollection: db.prepare<[string, string, number], { body: string; id: string }>(
      `SELECT id, body FROM documents WHERE collection = ? AND id > ? ORDER BY id ${SQLITE_BOUND_LIMIT}`,
    ),
    wholeCollection: db.prepare<[string], { body: string; workspace: string }>(
      'SELECT body, workspace FROM documents WHERE collection = ? ORDER BY id',
    ),
    deleteCollection: db.prepare<[string]>('DELETE FROM documents WHERE collection = ?'),
    deleteCheckpoint: db.prepare<[string]>('DELETE FROM checkpoints WHERE projection = ?'),
    getCheckpoint: db.prepare<[string], { position: string }>('SELECT position FROM checkpoints WHERE projection = ?'),
    putCheckpoint: db.prepare<[string, string]>(
      `INSERT INTO checkpoints (projection, position) VALUES (?, ?)
       ON CONFLICT (projection) DO UPDATE SET position = excluded.position`,
    ),
  };
}

/** The embedded read-model store: every collection in one SQLite file, created readable by its owner only. */
export class SqliteReadModelStore implements ReadModelStore {
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly indexes = new DeclaredIndexes();
  /** Prepared once per query shape: preparing costs more than running an indexed query. */
  private readonly listStatements = new Map<string, Database.Statement<unknown[], { body: string }>>();
  /**
   * Bodies of documents read or committed lately (`null`: no such document), so that projections
   * reading what they wrote a moment ago, and readers of the same documents, need no query.
   */
  private readonly bodies: SqliteConnectionCache<string | null>;
  /**
   * One synchronous transaction, begun IMMEDIATE so that it holds the write lock from the checkpoint
   * check to the last write: no other commit, in this process or another, can slip in between.
   */
  private readonly writeAtomically: (projection: string, checkpoint: CheckpointMove, writes: readonly PendingWrite[]) => void;

  private constructor(private readonly db: Database.Database) {
    this.statements = prepareStatements(db);
    this.bodies = new SqliteConnectionCache(db, DOCUMENTS_KEPT);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- better-sqlite3's transaction variants are functions of their own, not methods
    this.writeAtomically = db.transaction((projection: string, checkpoint: CheckpointMove, writes: readonly PendingWrite[]) =>
      this.write(projection, checkpoint, writes),
    ).immediate;
  }

  static open({ file }: { file: string }): SqliteReadModelStore {
    createOwnerOnlyIfMissing(file);
    // better-sqlite3 waits for a locked file synchronously, freezing the whole process (5 s by
    // default). A writer that finds the file locked gives up quickly instead; the projection
    // runner retries with backoff while the server keeps answering.
    const db = new Database(file, { timeout: LOCKED_FILE_WAIT_MS });
    db.pragma('journal_mode = WAL');
    // NORMAL may lose the last commits on a power cut, never corrupt the file. That is enough here:
    // read models are rebuilt from the event log, and each checkpoint commits atomically with the
    // documents it covers, so a lost commit is simply projected again.
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    return new SqliteReadModelStore(db);
  }

  async getCheckpoint(projection: string): Promise<string | undefined> {
    return this.guarded(() => this.readCheckpoint(projection));
  }

  async commit(projection: string, checkpoint: CheckpointMove, work: (tx: ProjectionTransaction) => Promise<void>): Promise<void> {
    // better-sqlite3 transactions cannot span an await: the async work only collects writes, which
    // are then stored in one synchronous transaction.
    const writes = await collectWrites(
      (collection, id) => this.get(collection, id),
      work,
      (collection, normalised) => this.indexes.requireIndexable(collection, normalised),
    );
    this.guarded(() => this.writeAtomically(projection, checkpoint, writes));
    for (const write of writes) this.keepBody(documentKey(write.collection, write.id), write.kind === 'put' ? write.json : null);
  }

  async commitWrites(projection: string, checkpoint: CheckpointMove, writes: readonly PendingWrite[]): Promise<void> {
    this.indexes.requireIndexableWrites(writes);
    this.guarded(() => this.writeAtomically(projection, checkpoint, writes));
    // A rebuild's writes are many and not read again soon: rather than keep them, forget what was kept.
    this.bodies.clear();
  }

  async get<T extends ReadModelDocument>(collection: string, id: string): Promise<T | undefined> {
    const key = documentKey(collection, id);
    let body = this.bodies.get(key);
    if (body === undefined) {
      body = this.guarded(() => this.statements.getDocument.get(collection, id))?.body ?? null;
      this.keepBody(key, body);
    }
    return body === null ? undefined : (JSON.parse(body) as T);
  }

  async declareIndexes(indexes: readonly ReadModelIndex[]): Promise<void> {
    await this.indexes.declare(indexes, (fresh) =>
      this.guarded(() => this.db.transaction(() => fresh.forEach((index) => this.db.exec(sqliteIndexDefinition(index))))()),
    );
  }

  async list<T extends ReadModelDocument>(collection: string, query: ListQuery): Promise<T[]> {
    const { sql, params } = sqliteListQuery(this.indexes.serving(collection, query), query);
    return this.guarded(() => {
      let statement = this.listStatements.get(sql);
      if (!statement) {
        statement = this.db.prepare<unknown[], { body: string }>(sql);
        this.listStatements.set(sql, statement);
      }
      return statement.all(...params).map((row) => JSON.parse(row.body) as T);
    });
  }

  /** Paged by id, so that no statement stays open across the caller's awaits. */
  async *allDocuments<T extends ReadModelDocument>(collection: string): AsyncIterable<T> {
    for (let after = ''; ;) {
      const page = this.guarded(() => this.statements.pageOfCollection.all(collection, after, SCAN_PAGE_SIZE));
      for (const row of page) yield JSON.parse(row.body) as T;
      if (page.length < SCAN_PAGE_SIZE) return;
      after = page[page.length - 1].id;
    }
  }

  /** Documents of the source are held to what a commit holds them to, so both stores take the same rebuilds. */
  async replaceProjections(source: ReadModelStore, projections: readonly ProjectionCollections[]): Promise<void> {
    const { documents, checkpoints } = await source.snapshotProjections(projections);
    this.bodies.clear();
    this.guarded(() =>
      this.db
        .transaction(() => {
          for (const [collection, replacements] of documents) {
            this.statements.deleteCollection.run(collection);
            for (const replacement of replacements) {
              const normalised = normalisedDocument(collection, replacement);
              this.indexes.requireIndexable(collection, normalised);
              this.statements.putDocument.run(collection, normalised.id, normalised.workspace, normalised.json);
            }
          }
          for (const [projection, position] of checkpoints) {
            if (position === undefined) this.statements.deleteCheckpoint.run(projection);
            else this.statements.putCheckpoint.run(projection, position);
          }
        })
        .immediate(),
    );
  }

  /** One read transaction: SQLite's WAL keeps its snapshot while other connections commit. */
  async snapshotProjections(projections: readonly ProjectionCollections[]): Promise<ProjectionsSnapshot> {
    return this.guarded(() =>
      this.db.transaction(() => {
        const snapshot: ProjectionsSnapshot = { documents: new Map(), checkpoints: new Map() };
        for (const { name, collections } of projections) {
          snapshot.checkpoints.set(name, this.readCheckpoint(name));
          for (const collection of collections) {
            const rows = this.statements.wholeCollection.all(collection);
            // The workspace as lists read it, from its column: one that differs from the body's is a
            // difference a verification must see (a document listed in another workspace).
            snapshot.documents.set(
              collection,
              rows.map((row) => ({ ...(JSON.parse(row.body) as ReadModelDocument), workspace: row.workspace })),
            );
          }
        }
        return snapshot;
      })(),
    );
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private keepBody(key: string, body: string | null): void {
    if (body !== null && body.length > LARGEST_KEPT_BODY) this.bodies.delete(key);
    else this.bodies.set(key, body);
  }

  private guarded<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw sqliteFailure(error);
    }
  }

  private readCheckpoint(projection: string): string | undefined {
    return this.statements.getCheckpoint.get(projection)?.position;
  }

  /** The body of `writeAtomically`, run inside its transaction. */
  private write(projection: string, { expected, next }: CheckpointMove, writes: readonly PendingWrite[]): void {
    const actual = this.readCheckpoint(projection);
    if (actual !== expected) throw new CheckpointConflictError(projection, expected, actual);
    for (const write of writes) {
      if (write.kind === 'put') {
        this.statements.putDocument.run(write.collection, write.id, write.workspace, write.json);
      } else {
        this.statements.deleteDocument.run(write.collection, write.id);
      }
    }
    this.statements.putCheckpoint.run(projection, next);
  }
}

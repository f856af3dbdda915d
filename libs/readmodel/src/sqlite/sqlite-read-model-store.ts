import Database from 'better-sqlite3';
import { collectWrites, type PendingWrite } from '../buffered-projection-transaction.js';
import { plainFieldName } from '../field-name.js';
import {
  CheckpointConflictError,
  type ListQuery,
  type ProjectionCollections,
  type ProjectionTransaction,
  type ReadModelDocument,
  type ReadModelStore,
  readProjections,
} from '../read-model-store.port.js';

const LOCKED_FILE_WAIT_MS = 50;
const SCAN_PAGE_SIZE = 500;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS documents (
    collection TEXT NOT NULL,
    id         TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (collection, id)
  );
  CREATE INDEX IF NOT EXISTS documents_by_workspace ON documents (collection, workspace);
  CREATE TABLE IF NOT EXISTS checkpoints (
    projection TEXT PRIMARY KEY,
    position   TEXT NOT NULL
  );
`;

function jsonPath(field: string): string {
  return `$.${plainFieldName(field)}`;
}

/** SQLite has no boolean: JSON true/false come back from json_extract as 1/0, so test the JSON type. */
function equalsCondition(field: string, value: string | number | boolean): { sql: string; params: unknown[] } {
  return typeof value === 'boolean'
    ? { sql: 'json_type(body, ?) = ?', params: [jsonPath(field), String(value)] }
    : { sql: 'json_extract(body, ?) = ?', params: [jsonPath(field), value] };
}

function prepareStatements(db: Database.Database) {
  return {
    getDocument: db.prepare<[string, string], { body: string }>(
      'SELECT body FROM documents WHERE collection = ? AND id = ?',
    ),
    putDocument: db.prepare<[string, string, string, string]>(
      `INSERT INTO documents (collection, id, workspace, body) VALUES (?, ?, ?, ?)
       ON CONFLICT (collection, id) DO UPDATE SET workspace = excluded.workspace, body = excluded.body`,
    ),
    deleteDocument: db.prepare<[string, string]>('DELETE FROM documents WHERE collection = ? AND id = ?'),
    pageOfCollection: db.prepare<[string, string, number], { body: string; id: string }>(
      'SELECT id, body FROM documents WHERE collection = ? AND id > ? ORDER BY id LIMIT ?',
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

/** The embedded read-model store: every collection in one SQLite file. */
export class SqliteReadModelStore implements ReadModelStore {
  private readonly statements: ReturnType<typeof prepareStatements>;

  private constructor(private readonly db: Database.Database) {
    this.statements = prepareStatements(db);
  }

  static open({ file }: { file: string }): SqliteReadModelStore {
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
    return this.readCheckpoint(projection);
  }

  async commit(
    projection: string,
    checkpoint: { expected: string | undefined; next: string },
    work: (tx: ProjectionTransaction) => Promise<void>,
  ): Promise<void> {
    // better-sqlite3 transactions cannot span an await: the async work only collects writes, which
    // are then stored in one synchronous transaction.
    const writes = await collectWrites((collection, id) => this.get(collection, id), work);
    this.applyAtomically(projection, checkpoint, writes);
  }

  async get<T extends ReadModelDocument>(collection: string, id: string): Promise<T | undefined> {
    const row = this.statements.getDocument.get(collection, id);
    return row && (JSON.parse(row.body) as T);
  }

  async list<T extends ReadModelDocument>(collection: string, query: ListQuery): Promise<T[]> {
    const orderPath = jsonPath(query.orderBy);
    const conditions = ['collection = ?', 'workspace = ?'];
    const params: unknown[] = [collection, query.workspace];
    for (const [field, value] of Object.entries(query.where ?? {})) {
      const condition = equalsCondition(field, value);
      conditions.push(condition.sql);
      params.push(...condition.params);
    }
    if (query.before) {
      conditions.push('(json_extract(body, ?), id) < (?, ?)');
      params.push(orderPath, query.before.value, query.before.id);
    }
    const sql = `SELECT body FROM documents WHERE ${conditions.join(' AND ')}
                 ORDER BY json_extract(body, ?) DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare<unknown[], { body: string }>(sql).all(...params, orderPath, query.limit);
    return rows.map((row) => JSON.parse(row.body) as T);
  }

  /** Paged by id, so that no statement stays open across the caller's awaits. */
  async *allDocuments<T extends ReadModelDocument>(collection: string): AsyncIterable<T> {
    for (let after = ''; ; ) {
      const page = this.statements.pageOfCollection.all(collection, after, SCAN_PAGE_SIZE);
      for (const row of page) yield JSON.parse(row.body) as T;
      if (page.length < SCAN_PAGE_SIZE) return;
      after = page[page.length - 1].id;
    }
  }

  async replaceProjections(source: ReadModelStore, projections: readonly ProjectionCollections[]): Promise<void> {
    const { documents, checkpoints } = await readProjections(source, projections);
    this.db
      .transaction(() => {
        for (const [collection, replacements] of documents) {
          this.statements.deleteCollection.run(collection);
          for (const document of replacements) {
            this.statements.putDocument.run(collection, document.id, document.workspace, JSON.stringify(document));
          }
        }
        for (const [projection, position] of checkpoints) {
          if (position === undefined) this.statements.deleteCheckpoint.run(projection);
          else this.statements.putCheckpoint.run(projection, position);
        }
      })
      .immediate();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private readCheckpoint(projection: string): string | undefined {
    return this.statements.getCheckpoint.get(projection)?.position;
  }

  /**
   * One synchronous transaction, begun IMMEDIATE so that it holds the write lock from the checkpoint
   * check to the last write: no other commit, in this process or another, can slip in between.
   */
  private applyAtomically(
    projection: string,
    { expected, next }: { expected: string | undefined; next: string },
    writes: PendingWrite[],
  ): void {
    this.db
      .transaction(() => {
        const actual = this.readCheckpoint(projection);
        if (actual !== expected) throw new CheckpointConflictError(projection, expected, actual);
        for (const write of writes) {
          if (write.kind === 'put') {
            const { id, workspace } = write.document;
            this.statements.putDocument.run(write.collection, id, workspace, JSON.stringify(write.document));
          } else {
            this.statements.deleteDocument.run(write.collection, write.id);
          }
        }
        this.statements.putCheckpoint.run(projection, next);
      })
      .immediate();
  }
}

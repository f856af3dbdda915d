import type Database from 'better-sqlite3';

/**
 * What one connection learnt about its SQLite file, kept while no other connection has committed
 * to it: `PRAGMA data_version` changes exactly when one has, and then everything learnt is
 * forgotten. Past `capacity`, the entry learnt longest ago goes first.
 */
export class SqliteConnectionCache<Value> {
  private readonly entries = new Map<string, Value>();
  private readonly readDataVersion: () => unknown;
  private dataVersion: unknown;

  constructor(
    db: Pick<Database.Database, 'prepare'>,
    private readonly capacity: number,
  ) {
    const statement = db.prepare('PRAGMA data_version').pluck();
    this.readDataVersion = () => statement.get();
    this.dataVersion = this.readDataVersion();
  }

  /** What was learnt under `key`, unless another connection committed since. */
  get(key: string): Value | undefined {
    const dataVersion = this.readDataVersion();
    if (dataVersion !== this.dataVersion) {
      this.entries.clear();
      this.dataVersion = dataVersion;
      return undefined;
    }
    return this.entries.get(key);
  }

  /**
   * What was learnt under `key`, without asking whether another connection committed since: for
   * callers that find out themselves when it no longer holds (an INSERT failing on a unique key).
   */
  peek(key: string): Value | undefined {
    return this.entries.get(key);
  }

  /** Learnt from what this connection committed or read just now. */
  set(key: string, value: Value): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

import type Database from 'better-sqlite3';
import { BoundedMap } from '#bounded-map';

/**
 * What one connection learnt about its SQLite file, kept while no other connection has committed
 * to it: `PRAGMA data_version` changes exactly when one has, and then everything learnt is
 * forgotten. Past `capacity`, the entry learnt longest ago goes first.
 */
export class SqliteConnectionCache<Value> {
  private readonly entries: BoundedMap<Value>;
  private readonly readDataVersion: () => unknown;
  private dataVersion: unknown;

  constructor(db: Pick<Database.Database, 'prepare'>, capacity: number) {
    this.entries = new BoundedMap(capacity);
    const statement = db.prepare('PRAGMA data_version').pluck();
    this.readDataVersion = () => statement.get();
    this.dataVersion = this.readDataVersion();
  }

  /**
   * What was learnt under `key`, unless another connection committed since. Only a key that is
   * kept asks the file (the PRAGMA is a statement of its own): for any other the caller queries
   * anyway, and the next kept key asked for finds the change and forgets everything.
   */
  get(key: string): Value | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    const dataVersion = this.readDataVersion();
    if (dataVersion !== this.dataVersion) {
      this.entries.clear();
      this.dataVersion = dataVersion;
      return undefined;
    }
    return value;
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
    this.entries.set(key, value);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

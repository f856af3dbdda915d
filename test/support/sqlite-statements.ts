import Database from 'better-sqlite3';

/** Every SQL text better-sqlite3 prepared while `work` ran, in any connection. */
export async function statementsPreparedBy(work: () => Promise<void>): Promise<string[]> {
  const prepared: string[] = [];
  const prototype = Database.prototype;
  const original = Object.getOwnPropertyDescriptor(prototype, 'prepare');
  if (typeof original?.value !== 'function') throw new Error('better-sqlite3 no longer has Database.prototype.prepare');
  const prepare = original.value as (this: Database.Database, sql: string) => Database.Statement;
  Object.defineProperty(prototype, 'prepare', {
    ...original,
    value(this: Database.Database, sql: string) {
      prepared.push(sql);
      return prepare.call(this, sql);
    },
  });
  try {
    await work();
  } finally {
    Object.defineProperty(prototype, 'prepare', original);
  }
  return prepared;
}

/** A `LIMIT ?` on its own parameter, which SQLite plans again on every run (see SQLITE_BOUND_LIMIT). */
export const BARE_BOUND_LIMIT = /\bLIMIT\s+\?\s*($|[^\s+])/i;

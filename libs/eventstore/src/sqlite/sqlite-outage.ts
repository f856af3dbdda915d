/**
 * SQLite's result codes for a file that is busy, locked, unreadable or full for now (extended
 * codes such as SQLITE_IOERR_WRITE included); a constraint, a misuse or bad SQL is a defect.
 */
const OUTAGE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|NOMEM)(_|$)/;

/**
 * Recognised by name, not `instanceof`: better-sqlite3's native part keeps the SqliteError class
 * of the first copy of the module a process loaded, so another copy's class (test runners load
 * one per test file) would not match, nor would its realm's Object.
 */
export const isSqliteOutage = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { name?: unknown }).name === 'SqliteError' &&
  OUTAGE_CODES.test(String((error as { code?: unknown }).code));

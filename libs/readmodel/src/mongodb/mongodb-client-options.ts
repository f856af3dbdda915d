import {
  type ClientSession,
  type DbOptions,
  type MongoClientOptions,
  ReadConcern,
  ReadPreference,
  type TransactionOptions,
  WriteConcern,
} from 'mongodb';

/**
 * How long an operation waits for a server it can use, for the client's whole life. Longer than
 * an election (a primary unseen for electionTimeoutMillis, 10 s by default, is replaced within
 * about 12 s), so that commits and reads ride through a failover instead of failing in the middle of it.
 */
export const SERVER_SELECTION_TIMEOUT_MS = 30_000;

/** How long the start looks for a usable server before it fails, naming it: short, and separate from the above. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 10_000;

/**
 * How long a majority write waits for a majority to acknowledge it. Without it a write waits for
 * ever while the primary stays up without a majority (the secondary of a primary-secondary-arbiter set down).
 */
export const MAJORITY_WRITE_TIMEOUT_MS = 10_000;

/** The server's own limit on committing one transaction. */
export const MAX_COMMIT_TIME_MS = 10_000;

/**
 * How long one commit may keep trying, through write conflicts and an election, before it fails
 * (the driver's withTransaction would go on for 120 s). The projection runner then starts again
 * from the stored checkpoint.
 */
export const COMMIT_DEADLINE_MS = 30_000;

/** How long a read of a unit of work may wait until the store's last commit is readable (causal consistency). */
export const UNIT_READ_MAX_TIME_MS = 10_000;

const MAJORITY = new WriteConcern('majority', MAJORITY_WRITE_TIMEOUT_MS);

/** Every option the connection string could set otherwise and the store depends on. */
export const MONGO_CLIENT_OPTIONS: MongoClientOptions = {
  serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
  // Documents come normalised through JSON; anything else the store writes drops undefined fields as JSON does.
  ignoreUndefined: true,
};

/**
 * Whatever the connection string says (`readPreference=secondaryPreferred`, `w=1`,
 * `readConcernLevel=local`): a secondary may lag, and a unit that read a stale document would
 * still commit (its checkpoint is current), losing an update. Reads go to the primary and see
 * only what a majority holds, which an election cannot roll back; writes wait for a majority.
 */
export const MONGO_DATABASE_OPTIONS: DbOptions = {
  readPreference: ReadPreference.primary,
  readConcern: new ReadConcern('majority'),
  writeConcern: MAJORITY,
};

/**
 * What every read in a snapshot session is sent with. The database's majority read concern would
 * otherwise go with each read, and the driver only asks for a snapshot where a read has none of
 * its own: each read would see its own moment, and the server would never fix the session's time.
 */
export const snapshotRead = (session: ClientSession) => ({ session, readConcern: { level: 'snapshot' } as const });

/**
 * Snapshot isolation turns a concurrent commit of the same checkpoint into a write conflict, which
 * is retried; the retry then reads the new checkpoint and fails as a conflict. Majority writes keep
 * a commit through a failover.
 */
export const COMMIT_TRANSACTION: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: MAJORITY,
  readPreference: ReadPreference.primary,
  maxCommitTimeMS: MAX_COMMIT_TIME_MS,
};

import { MongoError, MongoErrorLabel, MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';

/**
 * Server error codes of a replica set that is electing or shutting down, or a host out of reach
 * (MongoDB's error codes: HostUnreachable, HostNotFound, NetworkTimeout, ShutdownInProgress,
 * PrimarySteppedDown, NotWritablePrimary, InterruptedAtShutdown, InterruptedDueToReplStateChange,
 * NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary), or of one without a majority in time:
 * MaxTimeMSExpired (a unit's read waiting for the last commit, a commit past its time limit) and
 * WriteConcernTimeout (no majority acknowledged a write within its wtimeout).
 */
const OUTAGE_CODES = new Set([6, 7, 50, 64, 89, 91, 189, 10107, 11600, 11602, 13435, 13436]);

/** The labels of a failure that trying again may cure: the last one says a commit may or may not have happened. */
const OUTAGE_LABELS = [
  MongoErrorLabel.RetryableWriteError,
  MongoErrorLabel.TransientTransactionError,
  MongoErrorLabel.UnknownTransactionCommitResult,
];

/**
 * The network or the replica set is away for now: no server to select, a dropped connection, an
 * election, no majority. A commit whose outcome is unknown is safe to try again: the checkpoint
 * tells whether it happened.
 */
export const isMongoOutage = (error: unknown): boolean =>
  error instanceof MongoNetworkError ||
  error instanceof MongoServerSelectionError ||
  (error instanceof MongoServerError && typeof error.code === 'number' && OUTAGE_CODES.has(error.code)) ||
  (error instanceof MongoError && OUTAGE_LABELS.some((label) => error.hasErrorLabel(label)));

import { exponentialBackoff } from '#backoff';
import { type ClientSession, MongoError, MongoErrorLabel, MongoServerError, type TransactionOptions } from 'mongodb';

/** What to do after a transaction attempt failed, as the drivers' transactions specification has it. */
export type TransactionStep = 'retry-transaction' | 'retry-commit' | 'give-up';

/** MaxTimeMSExpired: the server gave the commit up after its own limit; trying again would change nothing. */
const MAX_TIME_MS_EXPIRED = 50;

const isMaxTimeExpired = (error: MongoError): boolean =>
  error instanceof MongoServerError &&
  (error.code === MAX_TIME_MS_EXPIRED || (error.writeConcernError as { code?: unknown } | undefined)?.code === MAX_TIME_MS_EXPIRED);

/**
 * After the work of a transaction failed, or its commit: a transient error (a write conflict, an
 * election) runs the whole transaction again, a commit whose outcome is unknown (the connection
 * dropped, or the majority did not acknowledge in time) is sent again, which the server answers
 * without committing twice. Anything else, or no time left, gives up. Errors that are not
 * MongoDB's (a checkpoint conflict) are the caller's own and always give up.
 */
export function nextTransactionStep(phase: 'work' | 'commit', error: unknown, timeLeft: boolean): TransactionStep {
  if (!(error instanceof MongoError) || !timeLeft) return 'give-up';
  if (phase === 'commit' && error.hasErrorLabel(MongoErrorLabel.UnknownTransactionCommitResult) && !isMaxTimeExpired(error)) {
    return 'retry-commit';
  }
  return error.hasErrorLabel(MongoErrorLabel.TransientTransactionError) ? 'retry-transaction' : 'give-up';
}

/** Randomised, so that units that conflicted do not meet again at the same instant. */
const retryDelayMs = exponentialBackoff({ firstMs: 5, maxMs: 500 });

/**
 * `session.withTransaction` with a deadline of our choosing: the driver's own gives up only after
 * 120 s, and its client-side timeout (`timeoutMS`) has no effect in this driver version. Tries
 * again while `nextTransactionStep` says so and `deadlineMs` has not passed since the first
 * attempt; an attempt under way when it passes finishes or fails first (each of its operations
 * is bounded by server selection, the majority write timeout and the commit's time limit).
 */
export async function runTransaction<T>(
  session: ClientSession,
  options: TransactionOptions,
  deadlineMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const deadline = performance.now() + deadlineMs;
  const timeLeft = () => performance.now() < deadline;
  for (let attempt = 1; ; attempt += 1) {
    session.startTransaction(options);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      // The driver ignores a failure to abort: the server ends the transaction on its own.
      if (session.inTransaction()) await session.abortTransaction();
      if (nextTransactionStep('work', error, timeLeft()) !== 'retry-transaction') throw error;
      await pause(attempt);
      continue;
    }
    for (let commitAttempt = 1; ; commitAttempt += 1) {
      try {
        await session.commitTransaction();
        return result;
      } catch (error) {
        const step = nextTransactionStep('commit', error, timeLeft());
        if (step === 'give-up') throw error;
        if (step === 'retry-transaction') break;
        await pause(commitAttempt);
      }
    }
    await pause(attempt);
  }
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * retryDelayMs(attempt)));

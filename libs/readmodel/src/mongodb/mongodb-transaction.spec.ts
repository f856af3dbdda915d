import { MongoNetworkError, MongoServerError, MongoWriteConcernError } from 'mongodb';
import { CheckpointConflictError } from '../read-model-store.port.js';
import { nextTransactionStep } from './mongodb-transaction.js';

// The driver's own error classes, built as the driver builds them, no server needed.
const serverError = (code: number, labels: string[] = []) => new MongoServerError({ message: 'failed', code, errorLabels: labels });
const writeConcernTimeout = (labels: string[]) =>
  new MongoWriteConcernError({ ok: 1, writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' }, errorLabels: labels });

describe('nextTransactionStep', () => {
  it('runs the whole transaction again after a write conflict or an election', () => {
    expect(nextTransactionStep('work', serverError(112, ['TransientTransactionError']), true)).toBe('retry-transaction');
    expect(nextTransactionStep('commit', serverError(10107, ['TransientTransactionError']), true)).toBe('retry-transaction');
  });

  it('sends a commit again whose outcome is unknown: a majority that did not acknowledge in time, a dropped connection', () => {
    expect(nextTransactionStep('commit', writeConcernTimeout(['UnknownTransactionCommitResult']), true)).toBe('retry-commit');
    const dropped = new MongoNetworkError('connection closed');
    dropped.addErrorLabel('UnknownTransactionCommitResult');
    expect(nextTransactionStep('commit', dropped, true)).toBe('retry-commit');
  });

  it('gives a commit up that the server stopped after its own time limit', () => {
    expect(nextTransactionStep('commit', serverError(50, ['UnknownTransactionCommitResult']), true)).toBe('give-up');
  });

  it('gives up once the deadline has passed, whatever the error', () => {
    expect(nextTransactionStep('work', serverError(112, ['TransientTransactionError']), false)).toBe('give-up');
    expect(nextTransactionStep('commit', writeConcernTimeout(['UnknownTransactionCommitResult']), false)).toBe('give-up');
  });

  it('gives up on errors that are no outage, and on its own errors, which it hands back as they are', () => {
    expect(nextTransactionStep('work', serverError(11000), true)).toBe('give-up');
    expect(nextTransactionStep('work', new CheckpointConflictError('cards', 'p1', 'p2'), true)).toBe('give-up');
    // The label is only the commit's to act on: the work never commits.
    expect(nextTransactionStep('work', writeConcernTimeout(['UnknownTransactionCommitResult']), true)).toBe('give-up');
  });
});

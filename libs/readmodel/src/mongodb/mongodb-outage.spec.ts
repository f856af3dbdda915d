import { MongoNetworkError, MongoNetworkTimeoutError, MongoServerError, MongoServerSelectionError, MongoWriteConcernError } from 'mongodb';
import { isMongoOutage } from './mongodb-outage.js';

// The driver's own error classes, built as the driver builds them, no server needed.
const serverError = (code: number, labels: string[] = []) => new MongoServerError({ message: 'failed', code, errorLabels: labels });

describe('isMongoOutage', () => {
  it('takes a lost connection, no server to select, an election or a transient transaction for an outage', () => {
    expect(isMongoOutage(new MongoNetworkError('connection closed'))).toBe(true);
    expect(isMongoOutage(new MongoNetworkTimeoutError('timed out'))).toBe(true);
    expect(isMongoOutage(Object.create(MongoServerSelectionError.prototype))).toBe(true);
    expect(isMongoOutage(serverError(10107))).toBe(true);
    expect(isMongoOutage(serverError(189))).toBe(true);
    expect(isMongoOutage(serverError(112, ['TransientTransactionError']))).toBe(true);
  });

  it('takes no majority in time for an outage: a write concern timeout, a commit of unknown outcome, a read past its time limit', () => {
    const writeConcernTimeout = new MongoWriteConcernError({
      ok: 1,
      writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' },
    });
    expect(isMongoOutage(writeConcernTimeout)).toBe(true);
    expect(isMongoOutage(serverError(8000, ['UnknownTransactionCommitResult']))).toBe(true);
    expect(isMongoOutage(serverError(8000))).toBe(false);
    expect(isMongoOutage(serverError(50))).toBe(true);
  });

  it('takes a duplicate key, a bad query or a programming error for a defect', () => {
    expect(isMongoOutage(serverError(11000))).toBe(false);
    expect(isMongoOutage(serverError(2))).toBe(false);
    expect(isMongoOutage(Object.assign(new TypeError('x is not a function'), { code: 6 }))).toBe(false);
  });
});

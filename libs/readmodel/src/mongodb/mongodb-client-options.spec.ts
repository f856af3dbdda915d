import { MongoClient } from 'mongodb';
import {
  COMMIT_TRANSACTION,
  MAJORITY_WRITE_TIMEOUT_MS,
  MAX_COMMIT_TIME_MS,
  MONGO_CLIENT_OPTIONS,
  MONGO_DATABASE_OPTIONS,
  SERVER_SELECTION_TIMEOUT_MS,
} from './mongodb-client-options.js';

/** What an operator might well write: reads spread over secondaries, unacknowledged-by-majority writes, a short selection timeout. */
const RELAXED_URI =
  'mongodb://mongo-1:27017,mongo-2:27017/workflows?replicaSet=rs0&readPreference=secondaryPreferred&w=1&readConcernLevel=local&serverSelectionTimeoutMS=5000';

// A client only connects when asked to: its resolved options are there without a server.
describe('MongoDB client options', () => {
  let client: MongoClient;

  beforeAll(() => {
    client = new MongoClient(RELAXED_URI, MONGO_CLIENT_OPTIONS);
  });

  afterAll(async () => {
    await client.close();
  });

  it('reads from the primary what a majority holds, and writes for a majority with a timeout, whatever the connection string says', () => {
    const collection = client.db('workflows', MONGO_DATABASE_OPTIONS).collection('workflow-cards');

    expect(collection.readPreference?.mode).toBe('primary');
    expect(collection.readConcern?.level).toBe('majority');
    expect(collection.writeConcern).toMatchObject({ w: 'majority', wtimeoutMS: MAJORITY_WRITE_TIMEOUT_MS });
  });

  it('waits for a server longer than an election takes, for the whole life of the client', () => {
    expect(client.options.serverSelectionTimeoutMS).toBe(SERVER_SELECTION_TIMEOUT_MS);
    expect(SERVER_SELECTION_TIMEOUT_MS).toBeGreaterThan(12_000);
  });

  it('commits in snapshot isolation on the primary, for a majority, bounded on the server and in the write concern', () => {
    expect(COMMIT_TRANSACTION).toMatchObject({
      readConcern: { level: 'snapshot' },
      readPreference: { mode: 'primary' },
      writeConcern: { w: 'majority', wtimeoutMS: MAJORITY_WRITE_TIMEOUT_MS },
      maxCommitTimeMS: MAX_COMMIT_TIME_MS,
    });
  });
});

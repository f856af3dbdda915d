import { createRequire } from 'node:module';
import { type ClientSession, type Collection, MongoClient, Timestamp } from 'mongodb';
import {
  COMMIT_TRANSACTION,
  MAJORITY_WRITE_TIMEOUT_MS,
  MAX_COMMIT_TIME_MS,
  MONGO_CLIENT_OPTIONS,
  MONGO_DATABASE_OPTIONS,
  SERVER_SELECTION_TIMEOUT_MS,
  snapshotRead,
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

  it('reads in a snapshot session with a snapshot read concern, at the time the first read fixed, over the database’s majority', () => {
    // The find command the driver would send, built by the driver itself: no server is needed for it.
    const driver = createRequire(import.meta.url);
    const { FindOperation } = driver('mongodb/lib/operations/find.js');
    const { applySession } = driver('mongodb/lib/sessions.js');
    const { resolveOptions } = driver('mongodb/lib/utils.js');
    const sentReadConcern = (collection: Collection, options: { session: ClientSession }) => {
      const resolved = resolveOptions(collection, options);
      const command = new FindOperation((collection as unknown as { fullNamespace: unknown }).fullNamespace, {}, resolved).buildCommand(
        { description: { maxWireVersion: 21 } },
        options.session,
      );
      applySession(options.session, command, resolved);
      return { ...command.readConcern };
    };
    const collection = client.db('workflows', MONGO_DATABASE_OPTIONS).collection('workflow-cards');
    const session = client.startSession({ snapshot: true });
    try {
      // The database's majority would be sent as it is: the server fixes no time for it.
      expect(sentReadConcern(collection, { session })).toEqual({ level: 'majority' });
      expect(sentReadConcern(collection, snapshotRead(session))).toEqual({ level: 'snapshot' });
      // What the server answers the first snapshot read with, every later read of the session asks for.
      const fixed = new Timestamp({ t: 1_765_000_000, i: 3 });
      Object.assign(session, { snapshotTime: fixed });
      expect(sentReadConcern(collection, snapshotRead(session))).toEqual({ level: 'snapshot', atClusterTime: fixed });
    } finally {
      void session.endSession();
    }
  });
});

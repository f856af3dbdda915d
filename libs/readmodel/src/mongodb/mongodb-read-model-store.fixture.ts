import { randomUUID } from 'node:crypto';
import { type Db, MongoClient } from 'mongodb';
import { MongoReadModelStore } from './mongodb-read-model-store.js';

/**
 * A store on a database of its own, so tests never touch real data, and a plain client on the same
 * database to look at what the store wrote. `dispose` drops the database.
 */
export async function openTemporaryMongoReadModelStore(uri: string): Promise<{
  store: MongoReadModelStore;
  database: Db;
  dispose: () => Promise<void>;
}> {
  const name = `readmodel_test_${randomUUID().replaceAll('-', '')}`;
  const store = await MongoReadModelStore.connect({ uri, database: name });
  const client = await new MongoClient(uri).connect();
  const database = client.db(name);
  return {
    store,
    database,
    dispose: async () => {
      try {
        await store.close();
        await database.dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

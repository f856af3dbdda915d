import { join } from 'node:path';
import { EVENT_UPCASTERS } from '#domain';
import {
  EsdbEventStore,
  type EventStore,
  type EventStoreLogger,
  SqliteEventStore,
  UpcasterRegistry,
  UpcastingEventStore,
} from '#eventstore';
import { MongoReadModelStore, type ReadModelStore, SqliteReadModelStore } from '#readmodel';
import type { AppConfig } from '../config/app-config.js';
import { ensureDataDir } from './data-dir.permissions.js';
import { ALL_INDEXES } from './projections.catalog.js';

export interface Storage {
  eventStore: EventStore;
  readModel: ReadModelStore;
}

export class StorageUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageUnavailableError';
  }
}

/** The embedded event log's file in DATA_DIR. */
export const EMBEDDED_LOG_FILE = 'events.sqlite';

/** DATA_DIR exists by then (openStorage). */
const openEmbedded = <Store>(dataDir: string, file: string, what: string, open: (file: string) => Store): Store => {
  const path = join(dataDir, file);
  try {
    return open(path);
  } catch (error) {
    throw new StorageUnavailableError(`Cannot open the ${what} at ${path}: ${(error as Error).message}`);
  }
};

/** Read through the upcasters: everything that reads the log sees each event in its current shape. */
const openEventStore = async (config: AppConfig, logger: EventStoreLogger): Promise<EventStore> =>
  new UpcastingEventStore(
    config.eventStore.kind === 'esdb'
      ? await EsdbEventStore.connect({ connectionString: config.eventStore.connectionString, logger })
      : openEmbedded(config.dataDir, EMBEDDED_LOG_FILE, 'embedded event store', (file) => SqliteEventStore.open({ file, logger })),
    new UpcasterRegistry(EVENT_UPCASTERS),
  );

/** Opened with every projection's indexes, since a store refuses any list query it has none for. */
const openReadModel = async (config: AppConfig): Promise<ReadModelStore> => {
  const store =
    config.readModel.kind === 'mongodb'
      ? await MongoReadModelStore.connect({ uri: config.readModel.uri })
      : openEmbedded(config.dataDir, 'read-models.sqlite', 'embedded read-model store', (file) => SqliteReadModelStore.open({ file }));
  try {
    await store.declareIndexes(ALL_INDEXES);
    return store;
  } catch (error) {
    await store.close();
    throw new StorageUnavailableError(`Cannot create the indexes of the read-model store: ${(error as Error).message}`);
  }
};

/**
 * Opens both stores and proves the backends answer before anything else starts: a backend that
 * cannot be reached stops the start with a message naming it, instead of a half-working server.
 * The event store reports to `eventStoreLogger` the records of the log it skips.
 */
export const openStorage = async (config: AppConfig, eventStoreLogger: EventStoreLogger = console): Promise<Storage> => {
  // Once for both embedded stores: a DATA_DIR that cannot be used is one configuration error naming it.
  if (config.eventStore.kind === 'sqlite' || config.readModel.kind === 'sqlite') ensureDataDir(config.dataDir);
  const [eventStore, readModel] = await Promise.allSettled([openEventStore(config, eventStoreLogger), openReadModel(config)]);
  if (eventStore.status === 'fulfilled' && readModel.status === 'fulfilled') {
    return { eventStore: eventStore.value, readModel: readModel.value };
  }
  if (eventStore.status === 'fulfilled') await eventStore.value.close();
  if (readModel.status === 'fulfilled') await readModel.value.close();
  const reasons = [eventStore, readModel].flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []));
  throw new StorageUnavailableError(reasons.join('; '));
};

export const closeStorage = async (storage: Storage): Promise<void> => {
  await storage.eventStore.close();
  await storage.readModel.close();
};

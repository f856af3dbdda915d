export * from './event-store.port.js';
export {
  SqliteEventStore,
  type DurabilitySettings,
  type SqliteEventStoreOptions,
  type SqliteEventStoreStats,
} from './sqlite/sqlite-event-store.js';
export { DuplicateEventIdError } from './sqlite/stream-append.rules.js';
export { EsdbEventStore, type EsdbConnectOptions } from './esdb/esdb-event-store.js';
export { BackendUnreachableError } from './backend-unreachable.error.js';
export { BackendAccessDeniedError } from './backend-access-denied.error.js';
export { AppendTooLargeError } from './append-too-large.error.js';
export { StoreUnavailableError, storeFailure } from './store-unavailable.error.js';
export { isSqliteOutage } from './sqlite/sqlite-outage.js';
export { createOwnerOnlyIfMissing } from './sqlite/sqlite-file.permissions.js';
export { SqliteConnectionCache } from './sqlite/sqlite-connection.cache.js';
export { SQLITE_BOUND_LIMIT } from './sqlite/sqlite-bound-limit.js';
export { redactConnectionString } from './connection-string.redaction.js';
export * from './hash-chain.js';
export type { EventStoreLogger } from './skipped-records.log.js';
export * from './upcasting-event-store.js';
export * from './append-observing-event-store.js';

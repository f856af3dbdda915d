export * from './event-store.port.js';
export {
  SqliteEventStore,
  type DurabilitySettings,
  type SqliteEventStoreOptions,
  type SqliteEventStoreStats,
} from './sqlite/sqlite-event-store.js';
export { DuplicateEventIdError } from './sqlite/stream-append.rules.js';

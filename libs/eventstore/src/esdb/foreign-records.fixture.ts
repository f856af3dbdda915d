import { binaryEvent, EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { FOREIGN_RECORD_TEXT } from '../event-store.contract.js';

/**
 * Test-only: appends to `streamName` what another program using the server might: binary data,
 * JSON without metadata, JSON that is not an object. Returns the records' ids.
 */
export async function appendForeignRecords(connectionString: string, streamName: string): Promise<string[]> {
  const records = [
    binaryEvent({ type: 'ForeignBinary', data: new TextEncoder().encode(FOREIGN_RECORD_TEXT) }),
    jsonEvent({ type: 'ForeignWithoutMetadata', data: { note: FOREIGN_RECORD_TEXT } }),
    jsonEvent({ type: 'ForeignList', data: [FOREIGN_RECORD_TEXT], metadata: { workspace: 'default' } }),
    jsonEvent({ type: 'ForeignText', data: FOREIGN_RECORD_TEXT, metadata: { workspace: 'default' } }),
    jsonEvent({ type: 'ForeignListMetadata', data: { note: FOREIGN_RECORD_TEXT }, metadata: [FOREIGN_RECORD_TEXT] }),
  ];
  const client = EventStoreDBClient.connectionString(connectionString);
  try {
    await client.appendToStream(streamName, records);
  } finally {
    await client.dispose();
  }
  return records.map((record) => record.id);
}

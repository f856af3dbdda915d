import type { AuditEvent } from './audit-types.js';

/** An event's data and metadata, folded away until asked for. */
export const EventDetails = ({ event }: { event: Pick<AuditEvent, 'data' | 'metadata'> }) => (
  <details className="event-details">
    <summary>Data and metadata</summary>
    <h3>Data</h3>
    <pre>{JSON.stringify(event.data, null, 2)}</pre>
    <h3>Metadata</h3>
    <pre>{JSON.stringify(event.metadata, null, 2)}</pre>
  </details>
);

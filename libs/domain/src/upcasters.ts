import type { Upcaster } from '#eventstore';

/**
 * How events stored in an older shape read today: one upcaster per event type and schema version
 * it lifts (`fromVersion` 1 turns events written without a version into version 2, and so on).
 * Applied on every read by the store the server opens (`UpcastingEventStore`); what is stored is
 * never rewritten. When a change to an event's data would make old events read wrongly — a step
 * type's fields renamed, say, in the definitions `SessionStarted` pins — add its upcaster here.
 */
export const EVENT_UPCASTERS: readonly Upcaster[] = [];

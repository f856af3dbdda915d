import type { Schemas } from '../api/api-client.js';
import type { StreamMessage } from '../api/event-stream.js';

/** A workflow as its card shows it: `GET /workflows` items and the live stream's `card` events. */
export type WorkflowCard = Schemas['WorkflowCardDto'];

/** An event of `GET /workflows/live`: its name and its data, as the document declares the stream. */
export type LiveCardEvent = Schemas['WorkflowCardEventDto'] | Schemas['WorkflowRemovedEventDto'];

/** Every event the document names, so that one it adds is a compile error here until it is handled. */
const LIVE_EVENTS: Record<LiveCardEvent['event'], true> = { card: true, removed: true };

const isLiveEvent = (event: string): event is LiveCardEvent['event'] => Object.hasOwn(LIVE_EVENTS, event);

/** A message of `GET /workflows/live` as its event; a name the document does not declare is ignored. */
export const liveCardEvent = ({ event, data }: StreamMessage): LiveCardEvent | null => {
  if (!isLiveEvent(event)) return null;
  const parsed: unknown = JSON.parse(data);
  return { event, data: parsed } as LiveCardEvent;
};

export const activeSessionsText = (count: number): string => `${count} active ${count === 1 ? 'session' : 'sessions'}`;

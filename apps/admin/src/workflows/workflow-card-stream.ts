import type { StreamMessage } from '../api/event-stream.js';

/** A workflow as its card shows it: `GET /workflows` items and the live stream's `card` events. */
export interface WorkflowCard {
  id: string;
  name: string;
  activeSessions: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const LIVE_CARDS_PATH = '/workflows/live';

export type CardChange = { kind: 'card'; card: WorkflowCard } | { kind: 'removed'; id: string };

/** A message of `GET /workflows/live` as a change; other events (none today) are ignored. */
export const cardChange = (message: StreamMessage): CardChange | null => {
  if (message.event === 'card') return { kind: 'card', card: JSON.parse(message.data) as WorkflowCard };
  if (message.event === 'removed') return { kind: 'removed', id: (JSON.parse(message.data) as { id: string }).id };
  return null;
};

export const activeSessionsText = (count: number): string => `${count} active ${count === 1 ? 'session' : 'sessions'}`;

/**
 * The outbox decider: records how an attempt to deliver a message went. Pure: the time comes
 * with the command. A message already done takes no further outcome, so an attempt repeated after
 * a crash, or reported twice, is recorded once.
 */
import { exponentialBackoff } from '#backoff';
import type { Decider } from '../decider.js';
import type { DeliveryEvent } from './delivery.events.js';

/** After this many attempts a message that keeps failing is given up. */
export const MAX_DELIVERY_ATTEMPTS = 8;
const FIRST_RETRY_DELAY_MS = 1000;
const LONGEST_RETRY_DELAY_MS = 5 * 60 * 1000;

export interface OutboxState {
  /** Failed attempts so far, per message not yet done. */
  attempts: ReadonlyMap<string, number>;
  done: ReadonlySet<string>;
}

const initialOutboxState: OutboxState = { attempts: new Map(), done: new Set() };

export type AttemptOutcome =
  | { kind: 'delivered'; providerMessageId: string }
  | { kind: 'retryable'; status?: number; error: string }
  | { kind: 'rejected'; status: number; error: string };

export interface RecordDeliveryAttempt {
  type: 'RecordDeliveryAttempt';
  data: { sessionId: string; messageId: string; outcome: AttemptOutcome; now: string };
}

/** Exponential: 1 s, 2 s, 4 s … at most 5 minutes. */
export const retryDelayMs = exponentialBackoff({ firstMs: FIRST_RETRY_DELAY_MS, maxMs: LONGEST_RETRY_DELAY_MS });

function decideDelivery({ data }: RecordDeliveryAttempt, state: OutboxState): DeliveryEvent[] {
  const { sessionId, messageId, outcome, now } = data;
  if (state.done.has(messageId)) return [];
  const attempt = (state.attempts.get(messageId) ?? 0) + 1;
  const status = 'status' in outcome && outcome.status !== undefined ? { status: outcome.status } : {};
  switch (outcome.kind) {
    case 'delivered':
      return [{ type: 'MessageDelivered', data: { sessionId, messageId, attempt, providerMessageId: outcome.providerMessageId } }];
    case 'rejected':
      return [{ type: 'MessageDeliveryFailed', data: { sessionId, messageId, attempt, ...status, error: outcome.error } }];
    case 'retryable': {
      if (attempt >= MAX_DELIVERY_ATTEMPTS) {
        const error = `gave up after ${attempt} attempts: ${outcome.error}`;
        return [{ type: 'MessageDeliveryFailed', data: { sessionId, messageId, attempt, ...status, error } }];
      }
      const retryAt = new Date(Date.parse(now) + retryDelayMs(attempt)).toISOString();
      return [{ type: 'MessageDeliveryAttemptFailed', data: { sessionId, messageId, attempt, ...status, error: outcome.error, retryAt } }];
    }
  }
}

function evolveOutbox(state: OutboxState, event: DeliveryEvent): OutboxState {
  const { messageId } = event.data;
  if (event.type === 'MessageDeliveryAttemptFailed') {
    return { ...state, attempts: new Map(state.attempts).set(messageId, event.data.attempt) };
  }
  const attempts = new Map(state.attempts);
  attempts.delete(messageId);
  return { attempts, done: new Set(state.done).add(messageId) };
}

export const deliveryDecider: Decider<OutboxState, RecordDeliveryAttempt, DeliveryEvent> = {
  decide: decideDelivery,
  evolve: evolveOutbox,
  initialState: () => initialOutboxState,
};

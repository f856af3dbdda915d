import { describe, expect, it } from '@jest/globals';
import {
  type AttemptOutcome,
  MAX_DELIVERY_ATTEMPTS,
  decideDelivery,
  evolveOutbox,
  initialOutboxState,
  retryDelayMs,
} from './delivery.decider.js';
import type { DeliveryEvent } from './delivery.events.js';

const now = '2026-11-27T10:00:00.000Z';
const given = (...events: DeliveryEvent[]) => ({
  when: (outcome: AttemptOutcome, messageId = 's-1:m:1') =>
    decideDelivery(
      { type: 'RecordDeliveryAttempt', data: { sessionId: 's-1', messageId, outcome, now } },
      events.reduce(evolveOutbox, initialOutboxState),
    ),
});
const failedAttempt = (attempt: number, messageId = 's-1:m:1'): DeliveryEvent => ({
  type: 'MessageDeliveryAttemptFailed',
  data: { sessionId: 's-1', messageId, attempt, status: 500, error: 'boom', retryAt: now },
});

describe('delivery decider', () => {
  it('records a delivery, counting the attempts before it', () => {
    expect(given(failedAttempt(1), failedAttempt(2)).when({ kind: 'delivered', providerMessageId: 'wamid.1' })).toEqual([
      { type: 'MessageDelivered', data: { sessionId: 's-1', messageId: 's-1:m:1', attempt: 3, providerMessageId: 'wamid.1' } },
    ]);
  });

  it('schedules a retry with exponential backoff after a retryable failure', () => {
    expect(given(failedAttempt(1)).when({ kind: 'retryable', status: 503, error: 'unavailable' })).toEqual([
      {
        type: 'MessageDeliveryAttemptFailed',
        data: { sessionId: 's-1', messageId: 's-1:m:1', attempt: 2, status: 503, error: 'unavailable', retryAt: '2026-11-27T10:00:02.000Z' },
      },
    ]);
    expect([1, 2, 3, 10, 20].map(retryDelayMs)).toEqual([1000, 2000, 4000, 300_000, 300_000]);
  });

  it('never retries a rejection: it fails for good with the provider error', () => {
    expect(given().when({ kind: 'rejected', status: 400, error: 'Invalid parameter (code 100)' })).toEqual([
      { type: 'MessageDeliveryFailed', data: { sessionId: 's-1', messageId: 's-1:m:1', attempt: 1, status: 400, error: 'Invalid parameter (code 100)' } },
    ]);
  });

  it('gives up after the last attempt', () => {
    const earlier = Array.from({ length: MAX_DELIVERY_ATTEMPTS - 1 }, (_, index) => failedAttempt(index + 1));
    expect(given(...earlier).when({ kind: 'retryable', error: 'connection refused' })).toEqual([
      {
        type: 'MessageDeliveryFailed',
        data: { sessionId: 's-1', messageId: 's-1:m:1', attempt: MAX_DELIVERY_ATTEMPTS, error: `gave up after ${MAX_DELIVERY_ATTEMPTS} attempts: connection refused` },
      },
    ]);
  });

  it('takes no outcome for a message already done, and keeps messages apart', () => {
    const delivered: DeliveryEvent = { type: 'MessageDelivered', data: { sessionId: 's-1', messageId: 's-1:m:1', attempt: 1, providerMessageId: 'x' } };
    expect(given(delivered).when({ kind: 'delivered', providerMessageId: 'y' })).toEqual([]);
    expect(given(delivered).when({ kind: 'retryable', error: 'late' })).toEqual([]);
    expect(given(delivered, failedAttempt(1, 's-1:m:2')).when({ kind: 'delivered', providerMessageId: 'z' }, 's-1:m:2')[0].data).toMatchObject({ attempt: 2 });
  });
});

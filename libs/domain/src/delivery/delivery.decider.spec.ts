import { describe, expect, it } from '@jest/globals';
import { DeciderSpecification } from '../testing/decider-specification.fixture.js';
import {
  type AttemptOutcome,
  MAX_DELIVERY_ATTEMPTS,
  type RecordDeliveryAttempt,
  deliveryDecider,
  retryDelayMs,
} from './delivery.decider.js';
import type { DeliveryEvent } from './delivery.events.js';

const { given } = DeciderSpecification.for(deliveryDecider);

const now = '2026-11-27T10:00:00.000Z';
const attempted = (outcome: AttemptOutcome, messageId = 's-1:m:1'): RecordDeliveryAttempt => ({
  type: 'RecordDeliveryAttempt',
  data: { sessionId: 's-1', messageId, outcome, now },
});
const failedAttempt = (attempt: number, messageId = 's-1:m:1'): DeliveryEvent => ({
  type: 'MessageDeliveryAttemptFailed',
  data: { sessionId: 's-1', messageId, attempt, status: 500, error: 'boom', retryAt: now },
});

describe('delivery decider', () => {
  it('records a delivery, counting the attempts before it', () => {
    given([failedAttempt(1), failedAttempt(2)])
      .when(attempted({ kind: 'delivered', providerMessageId: 'wamid.1' }))
      .then([{ type: 'MessageDelivered', data: { sessionId: 's-1', messageId: 's-1:m:1', attempt: 3, providerMessageId: 'wamid.1' } }]);
  });

  it('schedules a retry with exponential backoff after a retryable failure', () => {
    given([failedAttempt(1)])
      .when(attempted({ kind: 'retryable', status: 503, error: 'unavailable' }))
      .then([
        {
          type: 'MessageDeliveryAttemptFailed',
          data: {
            sessionId: 's-1',
            messageId: 's-1:m:1',
            attempt: 2,
            status: 503,
            error: 'unavailable',
            retryAt: '2026-11-27T10:00:02.000Z',
          },
        },
      ]);
    expect([1, 2, 3, 10, 20].map(retryDelayMs)).toEqual([1000, 2000, 4000, 300_000, 300_000]);
  });

  it('never retries a rejection: it fails for good with the provider error', () => {
    given([])
      .when(attempted({ kind: 'rejected', status: 400, error: 'Invalid parameter (code 100)' }))
      .then([
        {
          type: 'MessageDeliveryFailed',
          data: { sessionId: 's-1', messageId: 's-1:m:1', attempt: 1, status: 400, error: 'Invalid parameter (code 100)' },
        },
      ]);
  });

  it('gives up after the last attempt', () => {
    const earlier = Array.from({ length: MAX_DELIVERY_ATTEMPTS - 1 }, (_, index) => failedAttempt(index + 1));
    given(earlier)
      .when(attempted({ kind: 'retryable', error: 'connection refused' }))
      .then([
        {
          type: 'MessageDeliveryFailed',
          data: {
            sessionId: 's-1',
            messageId: 's-1:m:1',
            attempt: MAX_DELIVERY_ATTEMPTS,
            error: `gave up after ${MAX_DELIVERY_ATTEMPTS} attempts: connection refused`,
          },
        },
      ]);
  });

  it('takes no outcome for a message already done, and keeps messages apart', () => {
    const delivered: DeliveryEvent = {
      type: 'MessageDelivered',
      data: { sessionId: 's-1', messageId: 's-1:m:1', attempt: 1, providerMessageId: 'x' },
    };
    given([delivered])
      .when(attempted({ kind: 'delivered', providerMessageId: 'y' }))
      .then([]);
    given([delivered])
      .when(attempted({ kind: 'retryable', error: 'late' }))
      .then([]);
    given([delivered, failedAttempt(1, 's-1:m:2')])
      .when(attempted({ kind: 'delivered', providerMessageId: 'z' }, 's-1:m:2'))
      .then([{ type: 'MessageDelivered', data: { sessionId: 's-1', messageId: 's-1:m:2', attempt: 2, providerMessageId: 'z' } }]);
  });
});

/**
 * The facts of a session's outbox stream `outbox-<sessionId>`: how each message the session sent
 * (MessageSent, the intent) fared with a push channel's provider. A message is done once it is
 * delivered or has failed for good; attempts count from 1.
 */
export interface MessageDelivered {
  type: 'MessageDelivered';
  data: { sessionId: string; messageId: string; attempt: number; providerMessageId: string };
}

/** The provider could not take it this time (5xx, network, timeout): it is tried again at `retryAt`. */
export interface MessageDeliveryAttemptFailed {
  type: 'MessageDeliveryAttemptFailed';
  data: { sessionId: string; messageId: string; attempt: number; status?: number; error: string; retryAt: string };
}

/** Refused by the provider (4xx, with its error), or still failing after the last attempt. */
export interface MessageDeliveryFailed {
  type: 'MessageDeliveryFailed';
  data: { sessionId: string; messageId: string; attempt: number; status?: number; error: string };
}

export type DeliveryEvent = MessageDelivered | MessageDeliveryAttemptFailed | MessageDeliveryFailed;

export const outboxStreamName = (sessionId: string): string => `outbox-${sessionId}`;

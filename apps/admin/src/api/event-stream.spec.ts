import { describe, expect, it } from '@jest/globals';
import { ApiError } from './api-client.js';
import { type StreamMessage, followEventStream } from './event-stream.js';

/** A stream that sends one message and stays open. */
const openStream = (message: string): ReadableStream<BufferSource> =>
  new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode(`event: card\ndata: ${message}\n\n`)) });

describe('followEventStream', () => {
  it('reconnects after a refusal no sooner than its Retry-After, then follows the stream', async () => {
    const attempts: number[] = [];
    const received: StreamMessage[] = [];
    const statuses: string[] = [];
    let stop: () => void = () => undefined;
    const live = new Promise<void>((resolve) => {
      stop = followEventStream(
        async () => {
          attempts.push(Date.now());
          if (attempts.length === 1) throw new ApiError(429, 'Too many requests with this token; retry in 2 s', { retryAfterMs: 2000 });
          return openStream('{"id":"w-1"}');
        },
        {
          onMessage: (message) => {
            received.push(message);
            resolve();
          },
          onStatus: (status) => statuses.push(status),
          onRefused: () => undefined,
        },
      );
    });
    await live;
    stop();
    // Backing off alone would have tried again after 375–625 ms.
    expect(attempts).toHaveLength(2);
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(1990);
    expect(received).toEqual([{ event: 'card', data: '{"id":"w-1"}' }]);
    expect(statuses).toEqual(['connecting', 'reconnecting', 'live']);
  });

  it('stops at a refusal another try would get again', async () => {
    const refusals: [number, string][] = [];
    let attempts = 0;
    await new Promise<void>((resolve) => {
      followEventStream(
        async () => {
          attempts += 1;
          throw new ApiError(403, 'Only admins may do this');
        },
        {
          onMessage: () => undefined,
          onStatus: () => undefined,
          onRefused: (status, message) => (refusals.push([status, message]), resolve()),
        },
      );
    });
    expect(refusals).toEqual([[403, 'Only admins may do this']]);
    expect(attempts).toBe(1);
  });
});

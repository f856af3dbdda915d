import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import type { NewEvent } from '#eventstore';
import { ServerMetrics, UNMATCHED_ROUTE } from './server-metrics.js';

const eventOf = (type: string): NewEvent => ({
  id: randomUUID(),
  type,
  data: {},
  metadata: { correlationId: 'c', causationId: 'c', actor: { sub: 'test', role: 'system' }, occurredAt: '', workspace: 'acme' },
});

/** The value of one sample line of `metrics`' text, undefined when it has none. */
const sampleOf = async (metrics: ServerMetrics, line: string): Promise<number | undefined> => {
  const found = (await metrics.text()).split('\n').find((sample) => sample.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
};

describe('ServerMetrics', () => {
  let metrics: ServerMetrics;
  let fastify: FastifyInstance;
  let baseUrl: string;

  beforeEach(async () => {
    metrics = new ServerMetrics();
    fastify = Fastify();
    metrics.observeRequests(fastify);
    fastify.get('/items/:id', async () => ({ ok: true }));
    fastify.post('/items', async (_request, reply) => reply.status(201).send({ ok: true }));
    // Over a socket: light-my-request (inject) loads an ES module that Jest cannot require.
    baseUrl = await fastify.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => fastify.close());

  it('times requests by method, route pattern and status; a request no route matched is labelled unmatched', async () => {
    for (const id of ['a', 'b', 'c']) await fetch(`${baseUrl}/items/${id}?page=2`);
    await fetch(`${baseUrl}/items`, { method: 'POST' });
    await fetch(`${baseUrl}/elsewhere/42`);

    const count = 'workflows_http_request_duration_seconds_count';
    expect(await sampleOf(metrics, `${count}{method="GET",route="/items/:id",status="200"}`)).toBe(3);
    expect(await sampleOf(metrics, `${count}{method="POST",route="/items",status="201"}`)).toBe(1);
    expect(await sampleOf(metrics, `${count}{method="GET",route="${UNMATCHED_ROUTE}",status="404"}`)).toBe(1);
    expect(await metrics.text()).not.toMatch(/\/items\/a|elsewhere/);
  });

  it('counts appended events by type, deliveries by channel type and outcome, AI agent calls by outcome', async () => {
    metrics.appended([eventOf('SessionStarted'), eventOf('MessageSent'), eventOf('MessageSent')]);
    metrics.deliveryAttempted('whatsapp', 'delivered');
    metrics.deliveryAttempted('whatsapp', 'retryable');
    metrics.deliveryAttempted('whatsapp', 'delivered');
    metrics.agentCalled('reply', 1.5);

    expect(await sampleOf(metrics, 'workflows_events_appended_total{type="MessageSent"}')).toBe(2);
    expect(await sampleOf(metrics, 'workflows_events_appended_total{type="SessionStarted"}')).toBe(1);
    expect(await sampleOf(metrics, 'workflows_outbound_deliveries_total{channel_type="whatsapp",outcome="delivered"}')).toBe(2);
    expect(await sampleOf(metrics, 'workflows_outbound_deliveries_total{channel_type="whatsapp",outcome="retryable"}')).toBe(1);
    expect(await sampleOf(metrics, 'workflows_ai_agent_call_duration_seconds_bucket{le="1",outcome="reply"}')).toBe(0);
    expect(await sampleOf(metrics, 'workflows_ai_agent_call_duration_seconds_bucket{le="2.5",outcome="reply"}')).toBe(1);
  });

  it('lists the AI agent calls of each outcome at zero before the first call', async () => {
    for (const outcome of ['reply', 'failure']) {
      expect(await sampleOf(metrics, `workflows_ai_agent_call_duration_seconds_count{outcome="${outcome}"}`)).toBe(0);
    }
  });

  it('counts apart from another server in the same process, both showing the process metrics', async () => {
    const other = new ServerMetrics();
    metrics.appended([eventOf('SessionStarted')]);

    expect(await sampleOf(metrics, 'workflows_events_appended_total{type="SessionStarted"}')).toBe(1);
    expect(await sampleOf(other, 'workflows_events_appended_total{type="SessionStarted"}')).toBeUndefined();
    for (const server of [metrics, other]) expect(await sampleOf(server, 'process_start_time_seconds')).toBeGreaterThan(0);
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SessionEngine } from '#engine';
import { EVENT_STORE, type EventStore, type NewEvent } from '#eventstore';
import { READ_MODEL_STORE, type ReadModelStore } from '#readmodel';
import { READ_MODEL_PROJECTIONS } from '#platform';
import { LoopbackServer, jsonAnswer } from '../libs/channels/src/http/loopback-server.fixture.js';
import { TOPIC_CHOICE_FLOW, Visitor, eventually, flowOnWebchat } from './support/conversations.js';
import { inProcessServerForSuite } from './support/suite-server.js';
import type { Api } from './support/test-server.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Every sample of a page of Prometheus text. */
function samplesOf(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [, name, labelText = '', value] = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line) ?? [];
      if (name === undefined) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, label, text]) => [label, text]));
      return { name, labels, value: Number(value) };
    });
}

/** The value of the one sample of `name` with exactly these labels; 0 when there is none yet (a counter not yet moved). */
const valueOf = (samples: Sample[], name: string, labels: Record<string, string> = {}): number => {
  const found = samples.filter(
    (sample) =>
      sample.name === name &&
      Object.keys(sample.labels).length === Object.keys(labels).length &&
      Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} with ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
};

const SUBSCRIPTIONS = [...READ_MODEL_PROJECTIONS.map(({ name }) => name), 'session-engine'];

const scrape = async (api: Api): Promise<Sample[]> => {
  const response = await api.request<string>('GET', '/metrics', { token: null });
  expect(response.status).toBe(200);
  return samplesOf(response.body);
};

/** Waits until a scrape satisfies `done`, and returns that scrape. */
const scrapeUntil = (api: Api, done: (samples: Sample[]) => boolean) => eventually(() => scrape(api), done);

const appendedOf = (samples: Sample[], type: string) => valueOf(samples, 'workflows_events_appended_total', { type });
const activeSessionsOf = (samples: Sample[]) => valueOf(samples, 'workflows_active_sessions');
const deliveriesOf = (samples: Sample[], outcome: string) =>
  valueOf(samples, 'workflows_outbound_deliveries_total', { channel_type: 'api', outcome });
const agentCallsOf = (samples: Sample[]) => valueOf(samples, 'workflows_ai_agent_call_duration_seconds_count', { outcome: 'failure' });

describe('GET /metrics', () => {
  const suite = inProcessServerForSuite();

  it('answers Prometheus text without a token when METRICS_TOKEN is not set, with the process metrics', async () => {
    const response = await fetch(`${suite.api.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = samplesOf(await response.text());
    const names = new Set(samples.map(({ name }) => name));
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(names).toContain(name);
    }
    // Listed at zero before the first delivery, so that rates are 0 rather than absent.
    const deliverySeries = samples
      .filter(({ name }) => name === 'workflows_outbound_deliveries_total')
      .map(({ labels }) => `${labels.channel_type} ${labels.outcome}`);
    for (const channelType of ['whatsapp', 'messenger', 'api']) {
      for (const outcome of ['delivered', 'retryable', 'rejected']) expect(deliverySeries).toContain(`${channelType} ${outcome}`);
    }
    expect(deliverySeries.filter((series) => series.startsWith('webchat'))).toEqual([]);
  });

  it('counts a web chat conversation: requests by route pattern, events by type, the session while active, the AI agent call, lag per subscription', async () => {
    const { api } = suite;
    const steps = [
      ...TOPIC_CHOICE_FLOW,
      { id: 'assistant', type: 'invoke_ai_agent', instructions: 'Help with orders', handoffTeam: 'support' },
    ];
    const { channelId } = await flowOnWebchat(api, steps);
    const before = await scrape(api);
    const visitor = new Visitor(api, channelId);

    await visitor.say('Hello', 'Ada');
    await visitor.awaitReplies(2);
    // The session waits for the answer: active until then.
    // Its inactivity timer is owed meanwhile.
    await scrapeUntil(
      api,
      (samples) =>
        activeSessionsOf(samples) === activeSessionsOf(before) + 1 &&
        valueOf(samples, 'workflows_engine_work_owed', { kind: 'timer' }) >= 1,
    );
    await visitor.say('orders');
    // No AI agent is configured: the agent step fails at once and hands over to the team, which completes the session.
    const after = await scrapeUntil(
      api,
      (samples) => activeSessionsOf(samples) === activeSessionsOf(before) && agentCallsOf(samples) === agentCallsOf(before) + 1,
    );

    const webchatPosts = { method: 'POST', route: '/webchat/:channelId/messages', status: '202' };
    const count = 'workflows_http_request_duration_seconds_count';
    expect(valueOf(after, count, webchatPosts) - valueOf(before, count, webchatPosts)).toBe(2);
    expect(valueOf(after, 'workflows_http_request_duration_seconds_bucket', { ...webchatPosts, le: '+Inf' })).toBe(
      valueOf(after, count, webchatPosts),
    );
    // Routes are patterns: no id of the conversation becomes a label.
    const labelValues = after.flatMap(({ labels }) => Object.values(labels));
    expect(labelValues.filter((value) => value.includes(channelId) || value.includes(visitor.contactId))).toEqual([]);
    expect(appendedOf(after, 'SessionStarted') - appendedOf(before, 'SessionStarted')).toBe(1);
    expect(appendedOf(after, 'MessageSent') - appendedOf(before, 'MessageSent')).toBeGreaterThanOrEqual(3);
    expect(appendedOf(after, 'SessionCompleted') - appendedOf(before, 'SessionCompleted')).toBe(1);
    for (const subscription of SUBSCRIPTIONS) {
      expect(
        after.filter(({ name, labels }) => name === 'workflows_subscription_lag_events' && labels.subscription === subscription),
      ).toHaveLength(1);
      expect(
        after.filter(({ name, labels }) => name === 'workflows_subscription_lag_seconds' && labels.subscription === subscription),
      ).toHaveLength(1);
    }
    expect(
      ['timer', 'agent_request', 'delivery'].map((kind) =>
        after.some(({ name, labels }) => name === 'workflows_engine_work_owed' && labels.kind === kind),
      ),
    ).toEqual([true, true, true]);
  });

  it('counts the deliveries to a push channel by channel type and outcome, a refused one as rejected', async () => {
    const { api } = suite;
    const callbacks = new LoopbackServer();
    callbacks.answer = jsonAnswer(200, { ok: true });
    await callbacks.listen();
    try {
      const workflow = await api.request('POST', '/workflows', { body: { name: 'Bridge flow' } });
      await api.request('PUT', `/workflows/${workflow.body.id}/definition`, { body: { steps: TOPIC_CHOICE_FLOW } });
      const secret = `api-channel-secret-${randomUUID()}`;
      const created = await api.request('POST', '/channels', {
        body: { type: 'api', name: 'SMS bridge', config: { secret, callbackUrl: `${callbacks.baseUrl}/hooks` } },
      });
      const channelId = created.body.id as string;
      await api.request('PUT', `/channels/${channelId}/workflow`, { body: { workflowId: workflow.body.id } });
      const say = (contactId: string) =>
        api.request('POST', `/channels/${channelId}/api/messages`, {
          body: { contactId, text: 'Hello', externalId: randomUUID() },
          token: secret,
        });
      const before = await scrape(api);

      expect((await say('sms:+4915100000001')).status).toBe(202);
      // The greeting and the question, one after the other.
      const delivered = await scrapeUntil(api, (samples) => deliveriesOf(samples, 'delivered') === deliveriesOf(before, 'delivered') + 2);
      callbacks.answer = jsonAnswer(400, { error: 'unknown recipient' });
      expect((await say('sms:+4915100000002')).status).toBe(202);
      // Refused for good, each message in turn: the greeting and the question.
      const rejected = await scrapeUntil(api, (samples) => deliveriesOf(samples, 'rejected') === deliveriesOf(before, 'rejected') + 2);

      expect(deliveriesOf(delivered, 'rejected')).toBe(deliveriesOf(before, 'rejected'));
      expect(deliveriesOf(rejected, 'delivered')).toBe(deliveriesOf(delivered, 'delivered'));
      expect(callbacks.requests).toHaveLength(4);
    } finally {
      await callbacks.close();
    }
  });

  it('labels a request no route matched as unmatched, not by its URL', async () => {
    const path = `/no-such-page-${randomUUID()}`;
    expect((await suite.api.request('GET', path, { token: null })).status).toBe(404);
    const samples = await scrape(suite.api);
    expect(
      valueOf(samples, 'workflows_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(samples.some(({ labels }) => Object.values(labels).some((value) => value.includes(path)))).toBe(false);
  });
});

describe('GET /metrics with METRICS_TOKEN set', () => {
  const metricsToken = `scrape-${randomUUID()}`;
  const suite = inProcessServerForSuite({ metricsToken });

  it('is 401 without the token, with another one or with a user token, naming nothing secret; 200 with it', async () => {
    const { api } = suite;
    for (const token of [null, `${metricsToken}x`, metricsToken.slice(1), api.token('admin')]) {
      const refused = await api.request('GET', '/metrics', { token });
      expect(refused.status).toBe(401);
      expect(refused.body.message).toBe(
        'GET /metrics requires the metrics token (METRICS_TOKEN) as the bearer token in the Authorization header',
      );
      expect(JSON.stringify(refused.body)).not.toContain(metricsToken);
    }
    const scraped = await api.request<string>('GET', '/metrics', { token: metricsToken });
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain('workflows_http_request_duration_seconds_count{method="GET",route="/metrics",status="401"} 4');
    // The probes stay open: an orchestrator has no token.
    expect((await api.request('GET', '/health/live', { token: null })).status).toBe(200);
  });
});

describe('/health/live and /health/ready', () => {
  const suite = inProcessServerForSuite();

  const ready = () => suite.api.request('GET', '/health/ready', { token: null });

  /** Events no subscription has anything to do with, written straight to the log: many, fast. */
  const appendUnrelatedEvents = async (count: number) => {
    const events: NewEvent[] = Array.from({ length: count }, (_, index) => ({
      id: randomUUID(),
      type: 'ReadinessNoiseRecorded',
      data: { index },
      metadata: {
        correlationId: randomUUID(),
        causationId: randomUUID(),
        actor: { sub: 'readiness-test', role: 'system' },
        occurredAt: new Date().toISOString(),
        workspace: 'default',
      },
    }));
    await suite.server.app.get<symbol, EventStore>(EVENT_STORE).appendToStream(`readiness-noise-${randomUUID()}`, events);
  };

  it('is ready once every store answers and every subscription is caught up; /health keeps its answer', async () => {
    const answer = await eventually(ready, (response) => response.status === 200);
    expect(answer.body).toMatchObject({ status: 'ready', maxLag: { events: 1000, seconds: 30 } });
    expect(Object.keys(answer.body.subscriptions).sort()).toEqual([...SUBSCRIPTIONS].sort());
    expect((await suite.api.request('GET', '/health/live', { token: null })).body).toEqual({ status: 'live' });
    expect((await suite.api.request('GET', '/health', { token: null })).body).toMatchObject({
      status: 'ok',
      projections: expect.any(Object),
    });
  });

  it('is 503 naming the subscription while one is behind by more than the bound, and live all the while', async () => {
    // Stopped as a shutdown stops it: the engine handles nothing more.
    await suite.server.app.get(SessionEngine).onApplicationShutdown();
    await appendUnrelatedEvents(1001);

    // The projections pass the events in moments; the stopped engine stays behind.
    const answer = await eventually(ready, (response) => response.status === 503 && response.body.reasons?.length === 1);
    expect(answer.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'session-engine is more than 1000 events behind the log',
      reasons: ['session-engine is more than 1000 events behind the log'],
    });
    expect(answer.body.subscriptions['session-engine']).toEqual({ events: 1001, seconds: expect.any(Number) });
    expect((await suite.api.request('GET', '/health/live', { token: null })).status).toBe(200);
    const lagOf = (samples: Sample[], subscription: string) => valueOf(samples, 'workflows_subscription_lag_events', { subscription });
    const samples = await scrapeUntil(suite.api, (scraped) => lagOf(scraped, 'sessions') === 0);
    expect(lagOf(samples, 'session-engine')).toBe(1001);
  });

  it('is 503 naming the store when the read-model store is closed, and live all the while', async () => {
    await suite.server.app.get<symbol, ReadModelStore>(READ_MODEL_STORE).close();

    const answer = await ready();
    expect(answer.status).toBe(503);
    expect(answer.body.reasons).toContainEqual(expect.stringMatching(/^the read-model store is unreachable: /));
    expect((await suite.api.request('GET', '/health/live', { token: null })).status).toBe(200);
    // The other metrics are still scraped; the active sessions, read from that store, are left out.
    const samples = await scrape(suite.api);
    expect(samples.some(({ name }) => name === 'workflows_active_sessions')).toBe(false);
    expect(samples.some(({ name }) => name === 'workflows_http_request_duration_seconds_count')).toBe(true);
  });
});

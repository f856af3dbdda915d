import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';
import { type AgentOutcome, channelRegistry, type DeliveryOutcome } from '#channels';
import type { EngineObserver } from '#engine';
import { type AppendObserver, AppendObservingEventStore, type NewEvent } from '#eventstore';
import type { Storage } from '#platform';
import { routeLabelOf } from '../http/route-label.js';
import { processMetrics } from './process-metrics.js';

/** The route label of a request no route matched: its URL is not a label, or every probe would add one. */
export const UNMATCHED_ROUTE = 'unmatched';

/** AI agent calls take seconds, up to their timeout (20 s by default). */
const AGENT_CALL_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30];
/** Every outcome of an AI agent call: a kind left out here does not compile. */
const AGENT_OUTCOME_KINDS: Record<AgentOutcome['kind'], null> = { reply: null, failure: null };
/** Every outcome of a delivery: a kind left out here does not compile. */
const DELIVERY_OUTCOME_KINDS: Record<DeliveryOutcome['kind'], null> = { delivered: null, retryable: null, rejected: null };

/**
 * One server's metrics, in a registry of its own (not prom-client's global one), so that servers
 * started in the same process count apart. The libraries report to it through narrow observers
 * (AppendObserver, EngineObserver); what is read when scraped is set by MetricsScrapeService.
 */
export class ServerMetrics implements AppendObserver, EngineObserver {
  readonly registry = new Registry();

  private readonly httpRequestDuration = new Histogram({
    name: 'workflows_http_request_duration_seconds',
    help: 'HTTP requests answered, by method, route pattern and status, and how long each took.',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });

  private readonly eventsAppended = new Counter({
    name: 'workflows_events_appended_total',
    help: 'Events this process appended to the log (an idempotent repeat counts again), by event type.',
    labelNames: ['type'],
    registers: [this.registry],
  });

  private readonly deliveries = new Counter({
    name: 'workflows_outbound_deliveries_total',
    help: 'Attempts to deliver a message to a push channel, by channel type and outcome (delivered, retryable, rejected).',
    labelNames: ['channel_type', 'outcome'],
    registers: [this.registry],
  });

  private readonly agentCallDuration = new Histogram({
    name: 'workflows_ai_agent_call_duration_seconds',
    help: 'Calls to the AI agent, by outcome (reply, failure), and how long each took.',
    labelNames: ['outcome'],
    buckets: AGENT_CALL_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    // Listed at zero before the first call, so that the series exist (and rates are 0) from the start.
    for (const outcome of Object.keys(AGENT_OUTCOME_KINDS)) this.agentCallDuration.zero({ outcome });
    for (const channel_type of channelRegistry.pushedTypes) {
      for (const outcome of Object.keys(DELIVERY_OUTCOME_KINDS)) this.deliveries.inc({ channel_type, outcome }, 0);
    }
  }

  /** The same stores, with every acknowledged append counted. */
  observingAppends(storage: Storage): Storage {
    return { ...storage, eventStore: new AppendObservingEventStore(storage.eventStore, this) };
  }

  /** Times every answer the server sends, matched to a route or not; call before the server listens. */
  observeRequests(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      const labels = { method: request.method, route: routeLabelOf(request) ?? UNMATCHED_ROUTE, status: String(reply.statusCode) };
      this.httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
      done();
    });
  }

  appended(events: readonly NewEvent[]): void {
    for (const { type } of events) this.eventsAppended.inc({ type });
  }

  deliveryAttempted(channelType: string, outcome: string): void {
    this.deliveries.inc({ channel_type: channelType, outcome });
  }

  agentCalled(outcome: string, seconds: number): void {
    this.agentCallDuration.observe({ outcome }, seconds);
  }

  /** The Prometheus text of this server's metrics and the process's. */
  text(): Promise<string> {
    return Registry.merge([processMetrics(), this.registry]).metrics();
  }
}

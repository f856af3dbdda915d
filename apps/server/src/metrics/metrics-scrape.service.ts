import { Inject, Injectable, Optional } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { SessionEngine } from '#engine';
import { READ_MODEL_STORE, type ReadModelStore, WORKFLOW_CARDS_COLLECTION, type WorkflowCard } from '#readmodel';
import type { SubscriptionLag } from '../health/subscription-lag.js';
import { SubscriptionLagService } from '../health/subscription-lag.service.js';
import { ServerMetrics } from './server-metrics.js';

/** How far a scrape counts the events behind a subscription: the gauge then reads "at least this many". */
export const LAG_COUNT_LIMIT = 10_000;

/**
 * What /metrics answers: the gauges read when scraped — lag, active sessions, owed work — set
 * first, then everything as Prometheus text. A reading that fails (a store down) leaves its
 * gauges out of that scrape instead of failing it: the other metrics matter most then, and
 * /health/ready names the outage.
 */
@Injectable()
export class MetricsScrapeService {
  private readonly lagEvents: Gauge;
  private readonly lagSeconds: Gauge;
  private readonly activeSessions: Gauge;
  private readonly workOwed: Gauge;
  private readonly sessionsRefused: Counter;
  private readonly channelsAtSessionCap: Gauge;
  /** The engine's refusals already added to the counter: the engine counts since its start, the counter only goes up. */
  private refusalsCounted = 0;

  constructor(
    private readonly metrics: ServerMetrics,
    private readonly lag: SubscriptionLagService,
    @Inject(READ_MODEL_STORE) private readonly readModel: ReadModelStore,
    /** Present only in a process with the `engine` role. */
    @Optional() private readonly engine?: SessionEngine,
  ) {
    const registers = [metrics.registry];
    this.lagEvents = new Gauge({
      name: 'workflows_subscription_lag_events',
      help: `Events in the log after the position of each subscription this process runs (counted up to ${LAG_COUNT_LIMIT}).`,
      labelNames: ['subscription'],
      registers,
    });
    this.lagSeconds = new Gauge({
      name: 'workflows_subscription_lag_seconds',
      help: 'How long the oldest event each subscription this process runs has yet to handle has been in the log; 0 when caught up.',
      labelNames: ['subscription'],
      registers,
    });
    this.activeSessions = new Gauge({
      name: 'workflows_active_sessions',
      help: 'Sessions in progress in every workspace, as the workflow cards count them (the same figure from every process).',
      registers,
    });
    this.workOwed = new Gauge({
      name: 'workflows_engine_work_owed',
      help: "What this process's session engine owes, by kind: timers, AI agent requests and deliveries.",
      labelNames: ['kind'],
      registers,
    });
    this.sessionsRefused = new Counter({
      name: 'workflows_sessions_refused_total',
      help: "Messages that would have started a session on a channel at MAX_OPEN_SESSIONS_PER_CHANNEL, as this process's engine followed them (SessionRefused).",
      registers,
    });
    this.channelsAtSessionCap = new Gauge({
      name: 'workflows_channels_at_session_cap',
      help: 'Channels with MAX_OPEN_SESSIONS_PER_CHANNEL sessions open, as this process’s engine counts them.',
      registers,
    });
  }

  async text(): Promise<string> {
    await Promise.all([this.readLag(), this.readActiveSessions()]);
    this.readEngine();
    return this.metrics.text();
  }

  private async readLag(): Promise<void> {
    const lags = await this.lag.measure(LAG_COUNT_LIMIT).catch((): SubscriptionLag[] => []);
    // Replaced at once, after the wait: a scrape running meanwhile never sees them half set.
    this.lagEvents.reset();
    this.lagSeconds.reset();
    for (const { name, events, seconds } of lags) {
      this.lagEvents.set({ subscription: name }, events);
      this.lagSeconds.set({ subscription: name }, seconds);
    }
  }

  /** Adds up the cards' counts: one document per workflow, not one per session. */
  private async readActiveSessions(): Promise<void> {
    try {
      let active = 0;
      for await (const card of this.readModel.allDocuments<WorkflowCard>(WORKFLOW_CARDS_COLLECTION)) active += card.activeSessions;
      this.activeSessions.set(active);
    } catch {
      this.activeSessions.remove();
    }
  }

  /** What the session engine of this process reports of itself, read in memory. */
  private readEngine(): void {
    if (this.engine === undefined) return;
    for (const [kind, owed] of Object.entries(this.engine.owedWork())) this.workOwed.set({ kind }, owed);
    const { sessionsRefused, channelsAtCap } = this.engine.status().sessionCaps;
    this.sessionsRefused.inc(sessionsRefused - this.refusalsCounted);
    this.refusalsCounted = sessionsRefused;
    this.channelsAtSessionCap.set(channelsAtCap);
  }
}

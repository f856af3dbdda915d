import { Inject, Injectable, Optional } from '@nestjs/common';
import { SESSION_ENGINE_PROJECTION, SessionEngine } from '#engine';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { ProjectionsService } from '../infrastructure/projections.service.js';
import { type SubscriptionLag, type SubscriptionPosition, measureLag } from './subscription-lag.js';

/**
 * The subscriptions this process runs — its projections, its session engine — and how far behind
 * the log each one is. A process without the `projections` or `engine` role has fewer, or none.
 */
@Injectable()
export class SubscriptionLagService {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly projections: ProjectionsService,
    /** Present only in a process with the `engine` role. */
    @Optional() private readonly engine?: SessionEngine,
  ) {}

  positions(): SubscriptionPosition[] {
    return [
      ...Object.entries(this.projections.status()).map(([name, { position }]) => ({ name, position })),
      ...(this.engine ? [{ name: SESSION_ENGINE_PROJECTION, position: this.engine.status().position }] : []),
    ];
  }

  /** Counts at most `maxEvents` behind each subscription (see `measureLag`). */
  measure(maxEvents: number): Promise<SubscriptionLag[]> {
    return measureLag(this.eventStore, this.positions(), maxEvents);
  }
}

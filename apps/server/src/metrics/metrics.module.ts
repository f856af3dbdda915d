import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ENGINE_OBSERVER } from '#engine';
import { METRICS_TOKEN } from './metrics-token.guard.js';
import { ServerMetrics } from './server-metrics.js';

/**
 * The server's metrics, for every module: the session engine reports to them as its
 * ENGINE_OBSERVER. `token`: what GET /metrics requires (METRICS_TOKEN); undefined, it is open.
 */
@Global()
@Module({})
export class MetricsModule {
  static forMetrics(metrics: ServerMetrics, token: string | undefined): DynamicModule {
    return {
      module: MetricsModule,
      providers: [
        { provide: ServerMetrics, useValue: metrics },
        { provide: ENGINE_OBSERVER, useValue: metrics },
        ...(token === undefined ? [] : [{ provide: METRICS_TOKEN, useValue: token }]),
      ],
      exports: [ServerMetrics, ENGINE_OBSERVER, ...(token === undefined ? [] : [METRICS_TOKEN])],
    };
  }
}

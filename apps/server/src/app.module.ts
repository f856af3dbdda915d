import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { type ChannelRegistry, SecretBox, channelRegistry, createAiAgent } from '#channels';
import { SessionEngineModule } from '#engine';
import { ChannelCommandsModule, WorkflowCommandsModule } from '#api-commands';
import { ApiChannelModule } from './api-channel/api-channel.module.js';
import { AuditController } from './audit/audit.controller.js';
import { AUTH_MAX_TOKEN_TTL, AUTH_SECRET, AuthGuard } from './auth/auth.guard.js';
import type { AppConfig, Storage } from '#platform';
import { ChannelsController } from './channels/channels.controller.js';
import { HealthController } from './health/health.controller.js';
import { HealthProbesController } from './health/health-probes.controller.js';
import { ReadinessService } from './health/readiness.service.js';
import { SubscriptionLagService } from './health/subscription-lag.service.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MetricsScrapeService } from './metrics/metrics-scrape.service.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { ErrorResponsesFilter } from './http/error-responses.filter.js';
import type { LogDestination } from './logging/server-logger.js';
import { ConsistencyService } from './infrastructure/consistency.service.js';
import { PROJECTION_RUNNERS_ENABLED, ProjectionsService } from './infrastructure/projections.service.js';
import { ReadModelChanges } from './infrastructure/read-model-changes.service.js';
import { StorageModule } from './infrastructure/storage.module.js';
import { ChannelSecretsModule } from './infrastructure/channel-secrets.module.js';
import { ChannelRegistryModule } from './infrastructure/channel-registry.module.js';
import { WorkflowQueriesService } from './workflows/workflow-queries.service.js';
import { WorkflowsController } from './workflows/workflows.controller.js';
import { TryItController } from './workflows/try-it/try-it.controller.js';
import { StepTypesController } from './workflows/step-types/step-types.controller.js';
import { SessionsController } from './sessions/sessions.controller.js';
import { WebchatController } from './webchat/webchat.controller.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';
import { LiveCardsService } from './workflows/live/live-cards.service.js';
import { WorkflowsLiveController } from './workflows/live/workflows-live.controller.js';

/**
 * `channels`: the channel types to run with; the service's registry unless a test adds types of its own.
 * `logDestination`: where log lines go; stdout unless a test reads them.
 */
export type ServerConfig = AppConfig & {
  authSecret: string;
  channelSecretsKey: string;
  channels?: ChannelRegistry;
  logDestination?: LogDestination;
};

/**
 * Every role answers /health, /health/live, /health/ready and /metrics; `api` adds the HTTP API
 * and its command handlers, `projections` runs the read models, `engine` runs the sessions.
 */
@Module({})
export class AppModule {
  static forConfig(config: ServerConfig, storage: Storage): DynamicModule {
    const api = config.roles.has('api');
    const engine = config.roles.has('engine');
    const metrics = new ServerMetrics();
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        StorageModule.forStorage(metrics.observingAppends(storage)),
        MetricsModule.forMetrics(metrics, config.metricsToken),
        ChannelSecretsModule.forBox(SecretBox.fromBase64Key(config.channelSecretsKey)),
        ChannelRegistryModule.forRegistry(config.channels ?? channelRegistry, config.channelPrivateAddresses ?? 'refuse'),
        ...(api ? [WorkflowCommandsModule, ChannelCommandsModule, ApiChannelModule] : []),
        ...(engine ? [SessionEngineModule.withAgent(createAiAgent(config.aiAgent), config.sessionCaps)] : []),
      ],
      controllers: [
        HealthController,
        HealthProbesController,
        MetricsController,
        ...(api
          ? [
              WorkflowsController,
              WorkflowsLiveController,
              TryItController,
              StepTypesController,
              ChannelsController,
              SessionsController,
              WebchatController,
              WebhooksController,
              AuditController,
            ]
          : []),
      ],
      providers: [
        { provide: AUTH_SECRET, useValue: config.authSecret },
        ...(config.authMaxTokenTtlSeconds === undefined ? [] : [{ provide: AUTH_MAX_TOKEN_TTL, useValue: config.authMaxTokenTtlSeconds }]),
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorResponsesFilter },
        { provide: PROJECTION_RUNNERS_ENABLED, useValue: config.roles.has('projections') },
        ReadModelChanges,
        ProjectionsService,
        SubscriptionLagService,
        ReadinessService,
        MetricsScrapeService,
        ...(api ? [ConsistencyService, WorkflowQueriesService, LiveCardsService] : []),
      ],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ChannelsEngineModule, WorkflowsEngineModule } from '#engine';
import { AUTH_SECRET, AuthGuard } from './auth/auth.guard.js';
import type { AppConfig } from './config/app-config.js';
import { ChannelsController } from './channels/channels.controller.js';
import { HealthController } from './health/health.controller.js';
import { ErrorResponsesFilter } from './http/error-responses.filter.js';
import { ConsistencyService } from './infrastructure/consistency.service.js';
import { PROJECTION_RUNNERS_ENABLED, ProjectionsService } from './infrastructure/projections.service.js';
import type { Storage } from './infrastructure/storage.js';
import { StorageModule } from './infrastructure/storage.module.js';
import { WorkflowQueriesService } from './workflows/workflow-queries.service.js';
import { WorkflowsController } from './workflows/workflows.controller.js';

export type ServerConfig = AppConfig & { authSecret: string };

/** Every role answers /health; `api` adds the HTTP API and its command handlers. */
@Module({})
export class AppModule {
  static forConfig(config: ServerConfig, storage: Storage): DynamicModule {
    const api = config.roles.has('api');
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), StorageModule.forStorage(storage), ...(api ? [WorkflowsEngineModule, ChannelsEngineModule] : [])],
      controllers: [HealthController, ...(api ? [WorkflowsController, ChannelsController] : [])],
      providers: [
        { provide: AUTH_SECRET, useValue: config.authSecret },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorResponsesFilter },
        { provide: PROJECTION_RUNNERS_ENABLED, useValue: config.roles.has('projections') },
        ProjectionsService,
        ...(api ? [ConsistencyService, WorkflowQueriesService] : []),
      ],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { WorkflowsEngineModule } from '#engine';
import { AUTH_SECRET, AuthGuard } from './auth/auth.guard.js';
import type { AppConfig } from './config/app-config.js';
import { HealthController } from './health/health.controller.js';
import { ErrorResponsesFilter } from './http/error-responses.filter.js';
import { ConsistencyService } from './infrastructure/consistency.service.js';
import { ProjectionsService } from './infrastructure/projections.service.js';
import { StorageModule } from './infrastructure/storage.module.js';
import { WorkflowQueriesService } from './workflows/workflow-queries.service.js';
import { WorkflowsController } from './workflows/workflows.controller.js';

export type ServerConfig = AppConfig & { authSecret: string };

@Module({})
export class AppModule {
  static forConfig(config: ServerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), StorageModule.forConfig(config), WorkflowsEngineModule],
      controllers: [HealthController, WorkflowsController],
      providers: [
        { provide: AUTH_SECRET, useValue: config.authSecret },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorResponsesFilter },
        ProjectionsService,
        ConsistencyService,
        WorkflowQueriesService,
      ],
    };
  }
}

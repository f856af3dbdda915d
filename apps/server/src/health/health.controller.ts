import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SessionEngine } from '#engine';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { Public } from '../auth/auth.decorators.js';
import { ProjectionsService } from '../infrastructure/projections.service.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { CREDENTIALS_NOT_NEEDED, HealthStatusDto } from './health.responses.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly projections: ProjectionsService,
    /** Present only in a process with the `engine` role. */
    @Optional() private readonly engine?: SessionEngine,
  ) {}

  /** Liveness plus how far the log and each projection have got (no secrets, no tenant data). */
  @Get()
  @Public()
  @ApiOperation({
    operationId: 'getHealth',
    summary: 'Get the process’s health and progress',
    description: `How far the log and each subscription of this process have got. ${CREDENTIALS_NOT_NEEDED}`,
  })
  @ApiOkResponse({ type: HealthStatusDto, description: 'The process answers; what it runs, and where each part stands' })
  @ApiErrors(429)
  async health(): Promise<HealthStatusDto> {
    return {
      status: 'ok',
      logPosition: (await this.eventStore.headPosition()) ?? null,
      projections: this.projections.status(),
      ...(this.engine ? { engine: this.engine.status() } : {}),
    };
  }
}

import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SessionEngine } from '#engine';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { Public } from '../auth/auth.decorators.js';
import { ProjectionsService } from '../infrastructure/projections.service.js';

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
  async health() {
    return {
      status: 'ok',
      logPosition: (await this.eventStore.headPosition()) ?? null,
      projections: this.projections.status(),
      ...(this.engine ? { engine: this.engine.status() } : {}),
    };
  }
}

import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  READ_MODEL_STORE,
  type ReadModelStore,
  SESSIONS_COLLECTION,
  SESSIONS_PROJECTION,
  type SessionDocument,
  listSessionMessages,
} from '#readmodel';
import { CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '#platform';
import { ResourceIdPipe } from '../http/resource-id.pipe.js';
import { ConsistencyService } from '../infrastructure/consistency.service.js';
import { ApiErrors, PATH_ERRORS } from '../openapi/api-errors.decorator.js';
import { ConsistentReadDto } from '../workflows/dto/workflow-queries.dto.js';
import { EXAMPLE_SESSION_ID, SessionDetailsDto } from './session.responses.js';
import { messageView, sessionSummary } from './session.views.js';

const SESSION_ID = new ResourceIdPipe('Session');

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly consistency: ConsistencyService,
    @Inject(READ_MODEL_STORE) private readonly readModel: ReadModelStore,
  ) {}

  @Get(':id')
  @ApiOperation({
    operationId: 'getSession',
    summary: 'Get a session',
    description: 'Where the session stands, what it collected, everything said in it, and why it ended.',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: EXAMPLE_SESSION_ID, description: 'A session of the caller’s workspace' })
  @ApiOkResponse({ type: SessionDetailsDto, description: 'The session and its transcript' })
  @ApiErrors(...PATH_ERRORS, 401, 404, 429)
  async get(
    @Param('id', SESSION_ID) id: string,
    @Query() query: ConsistentReadDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SessionDetailsDto> {
    await this.consistency.waitFor(query.consistentWith, [SESSIONS_PROJECTION]);
    const session = await this.readModel.get<SessionDocument>(SESSIONS_COLLECTION, id);
    if (session?.workspace !== principal.workspace) throw new NotFoundException(`Session ${id} not found`);
    const transcript = await listSessionMessages(this.readModel, principal.workspace, id);
    return {
      ...sessionSummary(session),
      variables: session.variables,
      team: session.team,
      transcript: transcript.map(messageView),
    };
  }
}

import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, ParseIntPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  CopyWorkflowCommand,
  CreateWorkflowCommand,
  DeactivateWorkflowSessionsCommand,
  DeleteWorkflowCommand,
  PublishWorkflowDefinitionCommand,
  RenameWorkflowCommand,
  type WorkflowCommandResult,
} from '#api-commands';
import { READ_MODEL_STORE, type ReadModelStore, SESSIONS_PROJECTION, WORKFLOWS_PROJECTION, listWorkflowSessions } from '#readmodel';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '#platform';
import { commandContextFor } from '../http/command-context.factory.js';
import { ConsistencyService } from '../infrastructure/consistency.service.js';
import { PublishDefinitionDto } from './dto/publish-definition.dto.js';
import { DisplayNameDto } from '../http/display-name.dto.js';
import { ConsistentReadDto, DEFAULT_PAGE_SIZE, ListSessionsDto, ListWorkflowsDto } from './dto/workflow-queries.dto.js';
import { sessionSummary } from '../sessions/session.views.js';
import { ResourceIdPipe } from '../http/resource-id.pipe.js';
import { WorkflowQueriesService } from './workflow-queries.service.js';

type RequestHeaders = Record<string, string | string[] | undefined>;

const WORKFLOW_ID = new ResourceIdPipe('Workflow');
const VERSION_PIPE = new ParseIntPipe({ errorHttpStatusCode: 404 });

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('workflows')
export class WorkflowsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: WorkflowQueriesService,
    private readonly consistency: ConsistencyService,
    @Inject(READ_MODEL_STORE) private readonly readModel: ReadModelStore,
  ) {}

  @Post()
  @Roles('admin')
  create(
    @Body() body: DisplayNameDto,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<WorkflowCommandResult> {
    return this.commands.execute(new CreateWorkflowCommand(randomUUID(), body.name, commandContextFor(principal, headers)));
  }

  @Get()
  async list(@Query() query: ListWorkflowsDto, @CurrentPrincipal() principal: Principal) {
    await this.consistency.waitFor(query.consistentWith, [WORKFLOWS_PROJECTION]);
    return this.queries.list(principal.workspace, query);
  }

  @Get(':id')
  async get(@Param('id', WORKFLOW_ID) id: string, @Query() query: ConsistentReadDto, @CurrentPrincipal() principal: Principal) {
    await this.consistency.waitFor(query.consistentWith, [WORKFLOWS_PROJECTION]);
    return this.queries.get(principal.workspace, id);
  }

  @Patch(':id')
  @Roles('admin')
  rename(
    @Param('id', WORKFLOW_ID) id: string,
    @Body() body: DisplayNameDto,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<WorkflowCommandResult> {
    return this.commands.execute(new RenameWorkflowCommand(id, body.name, commandContextFor(principal, headers)));
  }

  @Put(':id/definition')
  @Roles('admin')
  async publish(
    @Param('id', WORKFLOW_ID) id: string,
    @Body() body: PublishDefinitionDto,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<{ version: number; position: string }> {
    const { version, position } = await this.commands.execute(
      new PublishWorkflowDefinitionCommand(id, body.steps, body.settings, body.expectedVersion, commandContextFor(principal, headers)),
    );
    return { version, position };
  }

  @Get(':id/versions/:version')
  async getVersion(
    @Param('id', WORKFLOW_ID) id: string,
    @Param('version', VERSION_PIPE) version: number,
    @Query() query: ConsistentReadDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.consistency.waitFor(query.consistentWith, [WORKFLOWS_PROJECTION]);
    return this.queries.getVersion(principal.workspace, id, version);
  }

  @Post(':id/copy')
  @Roles('admin')
  copy(
    @Param('id', WORKFLOW_ID) id: string,
    @Body() body: DisplayNameDto,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<WorkflowCommandResult> {
    return this.commands.execute(new CopyWorkflowCommand(randomUUID(), id, body.name, commandContextFor(principal, headers)));
  }

  @Delete(':id')
  @HttpCode(200)
  @Roles('admin')
  async delete(
    @Param('id', WORKFLOW_ID) id: string,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<{ position: string }> {
    const { position } = await this.commands.execute(new DeleteWorkflowCommand(id, commandContextFor(principal, headers)));
    return { position };
  }

  /** 202: the request is recorded; the session engine ends every session active at its position. */
  @Post(':id/deactivate-sessions')
  @HttpCode(202)
  @Roles('admin')
  deactivateSessions(
    @Param('id', WORKFLOW_ID) id: string,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<{ position: string }> {
    return this.commands.execute(new DeactivateWorkflowSessionsCommand(id, commandContextFor(principal, headers)));
  }

  /** Newest first; `limit` like the workflow list. */
  @Get(':id/sessions')
  async sessions(@Param('id', WORKFLOW_ID) id: string, @Query() query: ListSessionsDto, @CurrentPrincipal() principal: Principal) {
    await this.consistency.waitFor(query.consistentWith, [WORKFLOWS_PROJECTION, SESSIONS_PROJECTION]);
    // Answers 404 for a deleted or foreign workflow, like every other read of it.
    await this.queries.get(principal.workspace, id);
    const sessions = await listWorkflowSessions(this.readModel, principal.workspace, id, query.status, query.limit ?? DEFAULT_PAGE_SIZE);
    return { items: sessions.map(sessionSummary) };
  }
}

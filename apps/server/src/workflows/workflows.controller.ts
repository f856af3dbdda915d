import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  CopyWorkflowCommand,
  CreateWorkflowCommand,
  DeactivateWorkflowSessionsCommand,
  DeleteWorkflowCommand,
  PublishWorkflowDefinitionCommand,
  RenameWorkflowCommand,
} from '#api-commands';
import { READ_MODEL_STORE, type ReadModelStore, SESSIONS_PROJECTION, WORKFLOWS_PROJECTION, listWorkflowSessions } from '#readmodel';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '#platform';
import { newId } from '#engine';
import { commandContextFor } from '../http/command-context.factory.js';
import { ConsistencyService } from '../infrastructure/consistency.service.js';
import { ApiErrors, BODY_ERRORS, PATH_ERRORS } from '../openapi/api-errors.decorator.js';
import { CommandPositionDto } from '../openapi/command-position.dto.js';
import { PublishDefinitionDto } from './dto/publish-definition.dto.js';
import { DisplayNameDto } from '../http/display-name.dto.js';
import { ConsistentReadDto, DEFAULT_PAGE_SIZE, ListSessionsDto, ListWorkflowsDto } from './dto/workflow-queries.dto.js';
import {
  PublishedVersionDto,
  WorkflowCommandResultDto,
  WorkflowDetailsDto,
  WorkflowPageDto,
  WorkflowVersionDto,
} from './dto/workflow.responses.js';
import { SessionListDto } from '../sessions/session.responses.js';
import { sessionSummary } from '../sessions/session.views.js';
import { versionNumberOf } from '../http/resource-id.pipe.js';
import { decodePageCursor, pageOf } from '../http/page-cursor.js';
import { ApiWorkflowIdParam, WORKFLOW_ID } from './workflow-id.param.js';
import { WorkflowQueriesService } from './workflow-queries.service.js';

type RequestHeaders = Record<string, string | string[] | undefined>;

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
  @ApiOperation({
    operationId: 'createWorkflow',
    summary: 'Create a workflow',
    description: 'It starts at version 1 with no steps: publish a definition to give it a flow.',
  })
  @ApiCreatedResponse({ type: WorkflowCommandResultDto, description: 'The new workflow' })
  @ApiErrors(...BODY_ERRORS, 401, 403, 429)
  create(
    @Body() body: DisplayNameDto,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<WorkflowCommandResultDto> {
    return this.commands.execute(new CreateWorkflowCommand(newId(), body.name, commandContextFor(principal, headers)));
  }

  @Get()
  @ApiOperation({
    operationId: 'listWorkflows',
    summary: 'List workflows',
    description: 'The workspace’s workflows as cards, newest first, a page at a time: pass `nextCursor` as `cursor` until it is absent.',
  })
  @ApiOkResponse({ type: WorkflowPageDto, description: 'One page of cards' })
  @ApiErrors(400, 401, 429)
  async list(@Query() query: ListWorkflowsDto, @CurrentPrincipal() principal: Principal): Promise<WorkflowPageDto> {
    await this.consistency.waitFor(query.consistentWith, [WORKFLOWS_PROJECTION]);
    return this.queries.list(principal.workspace, query);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getWorkflow', summary: 'Get a workflow with its current definition' })
  @ApiWorkflowIdParam()
  @ApiOkResponse({ type: WorkflowDetailsDto, description: 'The workflow’s card and its current steps and settings' })
  @ApiErrors(...PATH_ERRORS, 401, 404, 429)
  async get(
    @Param('id', WORKFLOW_ID) id: string,
    @Query() query: ConsistentReadDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WorkflowDetailsDto> {
    await this.consistency.waitFor(query.consistentWith, [WORKFLOWS_PROJECTION]);
    return this.queries.get(principal.workspace, id);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ operationId: 'renameWorkflow', summary: 'Rename a workflow', description: 'Publishes no version.' })
  @ApiWorkflowIdParam()
  @ApiOkResponse({ type: WorkflowCommandResultDto, description: 'The workflow under its new name' })
  @ApiErrors(...PATH_ERRORS, ...BODY_ERRORS, 401, 403, 404, 409, 429)
  rename(
    @Param('id', WORKFLOW_ID) id: string,
    @Body() body: DisplayNameDto,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<WorkflowCommandResultDto> {
    return this.commands.execute(new RenameWorkflowCommand(id, body.name, commandContextFor(principal, headers)));
  }

  @Put(':id/definition')
  @Roles('admin')
  @ApiOperation({
    operationId: 'publishWorkflowDefinition',
    summary: 'Publish a new version of a workflow’s definition',
    description:
      'The steps and settings are checked in full; a definition with problems is refused with every one of them in `problems`. ' +
      'Sessions already running keep the version they started on; new sessions run this one.',
  })
  @ApiWorkflowIdParam()
  @ApiOkResponse({ type: PublishedVersionDto, description: 'The version published' })
  @ApiErrors(...PATH_ERRORS, ...BODY_ERRORS, 401, 403, 404, 409, 429)
  async publish(
    @Param('id', WORKFLOW_ID) id: string,
    @Body() body: PublishDefinitionDto,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<PublishedVersionDto> {
    const { version, position } = await this.commands.execute(
      new PublishWorkflowDefinitionCommand(id, body.steps, body.settings, body.expectedVersion, commandContextFor(principal, headers)),
    );
    return { version, position };
  }

  @Get(':id/versions/:version')
  @ApiOperation({ operationId: 'getWorkflowVersion', summary: 'Get one published version of a workflow' })
  @ApiWorkflowIdParam()
  @ApiParam({
    name: 'version',
    schema: { type: 'integer', minimum: 1, example: 2 },
    description: 'A version the workflow has published; 1 is the first',
  })
  @ApiOkResponse({ type: WorkflowVersionDto, description: 'The version’s steps and settings' })
  @ApiErrors(...PATH_ERRORS, 401, 404, 429)
  async getVersion(
    @Param('id', WORKFLOW_ID) id: string,
    @Param('version') versionText: string,
    @Query() query: ConsistentReadDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WorkflowVersionDto> {
    const version = versionNumberOf(versionText);
    await this.consistency.waitFor(query.consistentWith, [WORKFLOWS_PROJECTION]);
    return this.queries.getVersion(principal.workspace, id, version);
  }

  @Post(':id/copy')
  @Roles('admin')
  @ApiOperation({
    operationId: 'copyWorkflow',
    summary: 'Copy a workflow',
    description: 'A new workflow at version 1 with the current steps and settings of the one copied.',
  })
  @ApiWorkflowIdParam()
  @ApiCreatedResponse({ type: WorkflowCommandResultDto, description: 'The copy' })
  @ApiErrors(...PATH_ERRORS, ...BODY_ERRORS, 401, 403, 404, 429)
  copy(
    @Param('id', WORKFLOW_ID) id: string,
    @Body() body: DisplayNameDto,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<WorkflowCommandResultDto> {
    return this.commands.execute(new CopyWorkflowCommand(newId(), id, body.name, commandContextFor(principal, headers)));
  }

  @Delete(':id')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    operationId: 'deleteWorkflow',
    summary: 'Delete a workflow',
    description: 'Its sessions are terminated and every read of it answers 404 from then on; its events stay in the audit log.',
  })
  @ApiWorkflowIdParam()
  @ApiOkResponse({ type: CommandPositionDto, description: 'The workflow is deleted' })
  // No body is read, but one that is sent is parsed like any other: its refusals are the same.
  @ApiErrors(...PATH_ERRORS, ...BODY_ERRORS, 401, 403, 404, 409, 429)
  async delete(
    @Param('id', WORKFLOW_ID) id: string,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<CommandPositionDto> {
    const { position } = await this.commands.execute(new DeleteWorkflowCommand(id, commandContextFor(principal, headers)));
    return { position };
  }

  @Post(':id/deactivate-sessions')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({
    operationId: 'deactivateWorkflowSessions',
    summary: 'End every active session of a workflow',
    description:
      'The request is recorded; the session engine then ends every session that was active at its position (`endReason` ' +
      '`deactivated`). Sessions that start later are not affected.',
  })
  @ApiWorkflowIdParam()
  @ApiAcceptedResponse({ type: CommandPositionDto, description: 'The request is recorded; the sessions end shortly after' })
  // No body is read, but one that is sent is parsed like any other: its refusals are the same.
  @ApiErrors(...PATH_ERRORS, ...BODY_ERRORS, 401, 403, 404, 409, 429)
  deactivateSessions(
    @Param('id', WORKFLOW_ID) id: string,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<CommandPositionDto> {
    return this.commands.execute(new DeactivateWorkflowSessionsCommand(id, commandContextFor(principal, headers)));
  }

  @Get(':id/sessions')
  @ApiOperation({
    operationId: 'listWorkflowSessions',
    summary: 'List a workflow’s sessions',
    description: 'Newest first, a page at a time: pass `nextCursor` as `cursor` until it is absent.',
  })
  @ApiWorkflowIdParam()
  @ApiOkResponse({ type: SessionListDto, description: 'The sessions, newest first' })
  @ApiErrors(...PATH_ERRORS, 401, 404, 429)
  async sessions(
    @Param('id', WORKFLOW_ID) id: string,
    @Query() query: ListSessionsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SessionListDto> {
    await this.consistency.waitFor(query.consistentWith, [WORKFLOWS_PROJECTION, SESSIONS_PROJECTION]);
    // Answers 404 for a deleted or foreign workflow, like every other read of it.
    await this.queries.get(principal.workspace, id);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const sessions = await listWorkflowSessions(this.readModel, principal.workspace, id, query.status, {
      limit: limit + 1,
      before: query.cursor === undefined ? undefined : decodePageCursor(query.cursor),
    });
    const listed = pageOf(sessions, limit, (session) => ({ value: session.startedAt, id: session.id }));
    return { ...listed, items: listed.items.map(sessionSummary) };
  }
}

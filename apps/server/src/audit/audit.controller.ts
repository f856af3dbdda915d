import { BadRequestException, Controller, applyDecorators, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  describeWorkflowEvent,
  foldWorkflow,
  historyLengthAtVersion,
  isWorkflowEvent,
  type WorkflowEvent,
  workflowStreamName,
} from '#domain';
import { EVENT_STORE, type EventStore, InvalidPositionError, type RecordedEvent } from '#eventstore';
import { CurrentPrincipal } from '../auth/auth.decorators.js';
import { type AuditFilter, AuditLogReader, type Principal } from '#platform';
import { ApiErrors, PATH_ERRORS } from '../openapi/api-errors.decorator.js';
import { ErrorResponseDto } from '../openapi/error-response.dto.js';
import { invalidPositionRefusal } from '../http/error-responses.filter.js';
import { ResourceIdPipe } from '../http/resource-id.pipe.js';
import { ConsistencyService } from '../infrastructure/consistency.service.js';
import { ConsistentReadDto } from '../workflows/dto/workflow-queries.dto.js';
import { AuditEventsQueryDto, AuditFilterDto, DEFAULT_AUDIT_PAGE_SIZE, WorkflowStateQueryDto } from './audit-queries.dto.js';
import { EXAMPLE_WORKFLOW_ID } from '../workflows/dto/workflow.responses.js';
import { AuditEventDto, AuditPageDto, WorkflowHistoryDto, WorkflowStateDto } from './audit.responses.js';
import { NDJSON_CONTENT_TYPE, NDJSON_MEDIA_TYPE, writeNdjsonLines } from './ndjson-response.js';

const WORKFLOW_ID = new ResourceIdPipe('Workflow');
/** The workflow path parameter, and its 404: unlike elsewhere, a deleted workflow is found here. */
const ApiWorkflowId = (notFound = 'Unknown, or another workspace’s') =>
  applyDecorators(
    ApiParam({
      name: 'id',
      format: 'uuid',
      example: EXAMPLE_WORKFLOW_ID,
      description: 'The workflow, deleted or not, of the caller’s workspace',
    }),
    ApiResponse({ status: 404, type: ErrorResponseDto, description: notFound }),
  );

/** The `context` of the controller's log lines, named as Nest's Logger names the server's own. */
const LOG_CONTEXT = 'Audit';

type RecordedWorkflowEvent = RecordedEvent & WorkflowEvent;

const filterFor = (principal: Principal, { stream, type }: AuditFilterDto): AuditFilter => ({
  workspace: principal.workspace,
  ...(stream === undefined ? {} : { stream }),
  ...(type === undefined ? {} : { type }),
});

/** How many of the first events were recorded at or before `at`. */
const countRecordedBy = (events: readonly RecordedEvent[], at: Date): number => {
  const index = events.findIndex((event) => Date.parse(event.recordedAt) > at.getTime());
  return index === -1 ? events.length : index;
};

/**
 * The audit log, read from the event store itself (never from a projection): every route accepts
 * admins and auditors, and shows only the caller's workspace.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  private readonly log: AuditLogReader;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly consistency: ConsistencyService,
  ) {
    this.log = new AuditLogReader(store);
  }

  @Get('events')
  @ApiOperation({
    operationId: 'listAuditEvents',
    summary: 'Page through the audit log',
    description:
      'The caller’s workspace’s events in log order (or newest first with `order=newest`), optionally of one stream or one type. ' +
      'Follow `next` as `after` (newest first: as `before`) until it is null: that never repeats nor skips an event, whatever the filter.',
  })
  @ApiOkResponse({ type: AuditPageDto, description: 'One page of events and where the next one starts' })
  @ApiErrors(400, 401, 429)
  async events(@Query() query: AuditEventsQueryDto, @CurrentPrincipal() principal: Principal): Promise<AuditPageDto> {
    const order = query.order ?? 'oldest';
    const [cursor, otherCursor] = order === 'oldest' ? (['after', 'before'] as const) : (['before', 'after'] as const);
    if (query[otherCursor] !== undefined) {
      throw new BadRequestException(`${otherCursor} does not go with order=${order}: pass the previous page's next as ${cursor}`);
    }
    await this.readable(query);
    try {
      return await this.log.page(filterFor(principal, query), query[cursor], query.limit ?? DEFAULT_AUDIT_PAGE_SIZE, order);
    } catch (error) {
      // Only the cursor comes from the caller; every other position the scan uses comes from the store.
      if (error instanceof InvalidPositionError) throw invalidPositionRefusal(cursor, error);
      throw error;
    }
  }

  @Get('events.ndjson')
  @ApiOperation({
    operationId: 'exportAuditEvents',
    summary: 'Export the audit log as NDJSON',
    description:
      'The caller’s workspace’s events, filtered as in `listAuditEvents`, from the start of the log up to its head when the request ' +
      'arrived, streamed as newline-delimited JSON. A transfer that breaks off did not complete: the export ends only with the ' +
      'response.',
  })
  @ApiOkResponse({
    description: 'One event a line, each line an `AuditEventDto` (the schema below is that of one line)',
    content: { [NDJSON_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(AuditEventDto) } } },
  })
  @ApiErrors(400, 401, 429)
  async exportEvents(@Query() query: AuditFilterDto, @CurrentPrincipal() principal: Principal, @Res() reply: FastifyReply): Promise<void> {
    await this.readable(query);
    // Asked before anything is sent, so that a store that fails here still gets an error response.
    const head = await this.store.headPosition();
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, { 'content-type': NDJSON_CONTENT_TYPE, 'cache-control': 'no-store' });
    try {
      await writeNdjsonLines(response, this.log.batchesUpTo(filterFor(principal, query), head));
      response.end();
    } catch (error) {
      // On the request's own logger, so that the line carries the request id of the request's line.
      reply.log.error({ context: LOG_CONTEXT }, `The NDJSON export stopped: ${(error as Error)?.stack ?? String(error)}`);
      // Destroyed, not ended: the client then sees a broken transfer rather than a log that looks complete.
      response.destroy();
    }
  }

  @Get('workflows/:id/history')
  @ApiOperation({
    operationId: 'getWorkflowHistory',
    summary: 'Get a workflow’s history',
    description: 'Every event of the workflow’s stream, a deleted workflow’s included, each with what it changed in words.',
  })
  @ApiWorkflowId()
  @ApiOkResponse({ type: WorkflowHistoryDto, description: 'The workflow’s events in order' })
  @ApiErrors(...PATH_ERRORS, 401, 429)
  async history(
    @Param('id', WORKFLOW_ID) id: string,
    @Query() query: ConsistentReadDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WorkflowHistoryDto> {
    await this.readable(query);
    const events = await this.workflowStream(principal.workspace, id);
    return {
      workflowId: id,
      items: events.map((event) => ({
        id: event.id,
        position: event.position,
        revision: event.revision,
        type: event.type,
        // A type this code does not know (written by a newer version) is still listed, by its name.
        summary: isWorkflowEvent(event) ? describeWorkflowEvent(event) : event.type,
        data: event.data,
        metadata: event.metadata,
        recordedAt: event.recordedAt,
      })),
    };
  }

  @Get('workflows/:id/state')
  @ApiOperation({
    operationId: 'getWorkflowStateAsOf',
    summary: 'Get a workflow as it was at a version or a time',
    description:
      'Give exactly one of `version` (the workflow while that version was current: up to the next publish or its deletion) or ' +
      '`at` (as it was at that time, deleted perhaps). ' +
      'A version it never had, or a time before it existed, is 404.',
  })
  @ApiWorkflowId('Unknown, another workspace’s, or it never had that version or did not exist yet at that time')
  @ApiOkResponse({ type: WorkflowStateDto, description: 'The workflow then, and the event it is shown after' })
  @ApiErrors(...PATH_ERRORS, 401, 429)
  async state(
    @Param('id', WORKFLOW_ID) id: string,
    @Query() query: WorkflowStateQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WorkflowStateDto> {
    await this.readable(query);
    const { version, at } = query;
    if (version === undefined && at === undefined) throw new BadRequestException('version or at is required');
    if (version !== undefined && at !== undefined) throw new BadRequestException('version and at cannot be combined: give one');
    const events: RecordedWorkflowEvent[] = (await this.workflowStream(principal.workspace, id)).filter(isWorkflowEvent);
    const length = version !== undefined ? historyLengthAtVersion(events, version) : countRecordedBy(events, new Date(at!));
    if (!length) {
      throw new NotFoundException(
        version !== undefined ? `Workflow ${id} never had version ${version}` : `Workflow ${id} did not exist yet at ${at}`,
      );
    }
    const shown = events.slice(0, length);
    const { revision, position, recordedAt } = shown[shown.length - 1];
    const state = foldWorkflow(shown);
    // A workflow's stream begins with its creation or copy: no prefix of it folds to the initial state.
    if (state.status === 'initial') throw new Error(`The stream of workflow ${id} does not begin with its creation`);
    return { workflowId: id, asOf: { revision, position, recordedAt }, state };
  }

  /**
   * `consistentWith`, accepted here as on every query: the audit log is the event store itself, so
   * a position it holds is visible already and nothing is waited for; one it does not hold is 400.
   */
  private async readable({ consistentWith }: ConsistentReadDto): Promise<void> {
    await this.consistency.waitFor(consistentWith, []);
  }

  /** The workflow's whole stream; another workspace's workflow is not found, like anywhere else. */
  private async workflowStream(workspace: string, id: string): Promise<RecordedEvent[]> {
    const events = await this.store.readStream(workflowStreamName(id));
    if (events.length === 0 || events[0].metadata.workspace !== workspace) throw new NotFoundException(`Workflow ${id} not found`);
    return events;
  }
}

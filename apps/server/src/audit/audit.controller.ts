import { BadRequestException, Controller, Get, Inject, Logger, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
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
import { type AuditFilter, AuditLogReader, type AuditPage, type Principal } from '#platform';
import { ResourceIdPipe } from '../http/resource-id.pipe.js';
import { AuditEventsQueryDto, AuditFilterDto, DEFAULT_AUDIT_PAGE_SIZE, WorkflowStateQueryDto } from './audit-queries.dto.js';
import { NDJSON_CONTENT_TYPE, writeNdjsonLines } from './ndjson-response.js';

const WORKFLOW_ID = new ResourceIdPipe('Workflow');

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
  private readonly logger = new Logger('Audit');
  private readonly log: AuditLogReader;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    this.log = new AuditLogReader(store);
  }

  @Get('events')
  @ApiOkResponse({ description: '`{items, next}` in log order; pass `next` as `after` until it is null' })
  async events(@Query() query: AuditEventsQueryDto, @CurrentPrincipal() principal: Principal): Promise<AuditPage> {
    try {
      return await this.log.page(filterFor(principal, query), query.after, query.limit ?? DEFAULT_AUDIT_PAGE_SIZE);
    } catch (error) {
      // Only `after` comes from the caller; every other position the scan uses comes from the store.
      if (error instanceof InvalidPositionError) throw new BadRequestException(`after: ${error.message}`);
      throw error;
    }
  }

  @Get('events.ndjson')
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'The whole filtered log up to the moment of the request, one event a line' })
  async exportEvents(@Query() query: AuditFilterDto, @CurrentPrincipal() principal: Principal, @Res() reply: FastifyReply): Promise<void> {
    // Asked before anything is sent, so that a store that fails here still gets an error response.
    const head = await this.store.headPosition();
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, { 'content-type': NDJSON_CONTENT_TYPE, 'cache-control': 'no-store' });
    try {
      await writeNdjsonLines(response, this.log.batchesUpTo(filterFor(principal, query), head));
      response.end();
    } catch (error) {
      this.logger.error(`The NDJSON export stopped: ${(error as Error)?.stack ?? String(error)}`);
      // Destroyed, not ended: the client then sees a broken transfer rather than a log that looks complete.
      response.destroy();
    }
  }

  @Get('workflows/:id/history')
  @ApiOkResponse({ description: '`{workflowId, items}`: every event of the workflow, deleted ones included, with a summary each' })
  async history(@Param('id', WORKFLOW_ID) id: string, @CurrentPrincipal() principal: Principal) {
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
  @ApiOkResponse({ description: '`{workflowId, asOf: {revision, position, recordedAt}, state}`: the workflow as it was then' })
  async state(@Param('id', WORKFLOW_ID) id: string, @Query() query: WorkflowStateQueryDto, @CurrentPrincipal() principal: Principal) {
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
    return { workflowId: id, asOf: { revision, position, recordedAt }, state: foldWorkflow(shown) };
  }

  /** The workflow's whole stream; another workspace's workflow is not found, like anywhere else. */
  private async workflowStream(workspace: string, id: string): Promise<RecordedEvent[]> {
    const events = await this.store.readStream(workflowStreamName(id));
    if (events.length === 0 || events[0].metadata.workspace !== workspace) throw new NotFoundException(`Workflow ${id} not found`);
    return events;
  }
}

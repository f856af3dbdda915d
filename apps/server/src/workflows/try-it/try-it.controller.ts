import { Body, Controller, Headers, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type ActiveWorkflow,
  ChannelAlreadyExistsError,
  MAX_WORKFLOW_NAME_LENGTH,
  channelDecider,
  channelStreamName,
  validateChannelConfig,
  workflowDecider,
  workflowStreamName,
} from '#domain';
import { CHANNEL_ADAPTERS } from '#channels';
import { loadState, loadStream } from '#engine';
import { AssignChannelWorkflowCommand, CreateChannelCommand, EndConversationSessionCommand, RenameChannelCommand } from '#api-commands';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators.js';
import type { Principal } from '#platform';
import { commandContextFor } from '../../http/command-context.factory.js';
import { ApiErrors, BODY_ERRORS, PATH_ERRORS } from '../../openapi/api-errors.decorator.js';
import { ApiWorkflowIdParam, WORKFLOW_ID } from '../workflow-id.param.js';
import { previewChannelId } from './preview-channel-id.js';
import { EndTryItConversationDto, TryItChannelDto } from './try-it.responses.js';
import { CommandPositionDto } from '../../openapi/command-position.dto.js';

type RequestHeaders = Record<string, string | string[] | undefined>;

const NAME_PREFIX = 'Try it: ';

/** The preview channel's name; a long workflow name is cut to fit the name limit. */
const previewChannelName = (workflowName: string): string =>
  NAME_PREFIX + [...workflowName].slice(0, MAX_WORKFLOW_NAME_LENGTH - NAME_PREFIX.length).join('');

/**
 * The editor's Try it panel talks to a real web chat channel assigned to the workflow, so the
 * admin sees what a customer gets. Each workflow has one such channel, made on first use.
 */
@ApiTags('workflows')
@ApiBearerAuth()
@Controller('workflows')
export class TryItController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Post(':id/try-it')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    operationId: 'tryWorkflow',
    summary: 'Try a workflow on its preview web chat channel',
    description:
      'A web chat channel named `Try it: <workflow name>` (renamed on a call after the workflow was), made on the first call and the same on every call, assigned to the ' +
      'workflow (again, if it was assigned another one). Chat on it with the web chat routes to try the flow as a customer would.',
  })
  @ApiWorkflowIdParam()
  @ApiOkResponse({ type: TryItChannelDto, description: 'The preview channel, assigned to the workflow' })
  // No body is read, but one that is sent is parsed like any other: its refusals are the same.
  @ApiErrors(...PATH_ERRORS, ...BODY_ERRORS, 401, 403, 404, 409, 429)
  async tryIt(
    @Param('id', WORKFLOW_ID) id: string,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<TryItChannelDto> {
    const workflow = (await this.activeWorkflow(id, principal)).state;
    const channelId = previewChannelId(id);
    const context = commandContextFor(principal, headers);
    const name = previewChannelName(workflow.name);
    const channel = await loadState(this.store, channelStreamName(channelId), channelDecider);
    if (channel.status === 'initial') {
      const config = validateChannelConfig('webchat', CHANNEL_ADAPTERS.webchat.config, {});
      try {
        await this.commands.execute(new CreateChannelCommand(channelId, 'webchat', name, config, context, id));
      } catch (error) {
        // Another request made it in the meantime: that is the channel wanted.
        if (!(error instanceof ChannelAlreadyExistsError)) throw error;
      }
    } else if (channel.name !== name) {
      // The workflow was renamed since: the preview is named after it as it is now.
      await this.commands.execute(new RenameChannelCommand(channelId, name, context));
    }
    // Also puts the workflow back if someone assigned the channel another one.
    const { position } = await this.commands.execute(new AssignChannelWorkflowCommand(channelId, id, context));
    return { channelId, position };
  }

  @Post(':id/try-it/end')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    operationId: 'endTryItConversation',
    summary: 'End a Try it conversation',
    description:
      'Deactivates the session of that contact on the workflow’s preview channel, if it is still active, so that a preview ' +
      'left behind does not count as an active session. Nothing to end is no error.',
  })
  @ApiWorkflowIdParam()
  @ApiOkResponse({ type: CommandPositionDto, description: 'The conversation has no active session any more' })
  @ApiErrors(...PATH_ERRORS, ...BODY_ERRORS, 401, 403, 404, 429)
  async end(
    @Param('id', WORKFLOW_ID) id: string,
    @Body() body: EndTryItConversationDto,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<CommandPositionDto> {
    const workflow = await this.activeWorkflow(id, principal);
    const { position } = await this.commands.execute(
      new EndConversationSessionCommand(previewChannelId(id), body.contactId, commandContextFor(principal, headers)),
    );
    // A contact that never reached a session: the workflow's own position is as good as any.
    return { position: position ?? workflow.position };
  }

  /** Read from the workflow's stream, not a projection: a workflow created a moment ago is found. */
  private async activeWorkflow(id: string, principal: Principal): Promise<{ state: ActiveWorkflow; position: string }> {
    const { state, position } = await loadStream(this.store, workflowStreamName(id), workflowDecider);
    if (state.status !== 'active' || state.workspace !== principal.workspace || position === undefined) {
      throw new NotFoundException(`Workflow ${id} not found`);
    }
    return { state, position };
  }
}

import { Controller, Headers, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ChannelAlreadyExistsError,
  MAX_WORKFLOW_NAME_LENGTH,
  channelDecider,
  channelStreamName,
  validateChannelConfig,
  workflowDecider,
  workflowStreamName,
} from '#domain';
import { CHANNEL_ADAPTERS } from '#channels';
import { loadState } from '#engine';
import { AssignChannelWorkflowCommand, CreateChannelCommand } from '#api-commands';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators.js';
import type { Principal } from '#platform';
import { commandContextFor } from '../../http/command-context.factory.js';
import { ApiErrors, BODY_ERRORS, PATH_ERRORS } from '../../openapi/api-errors.decorator.js';
import { ApiWorkflowIdParam, WORKFLOW_ID } from '../workflow-id.param.js';
import { previewChannelId } from './preview-channel-id.js';
import { TryItChannelDto } from './try-it.responses.js';

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
      'A web chat channel named `Try it: <workflow name>`, made on the first call and the same on every call, assigned to the ' +
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
    // Read from the workflow's stream, not a projection: a workflow created a moment ago is found.
    const workflow = await loadState(this.store, workflowStreamName(id), workflowDecider);
    if (workflow.status !== 'active' || workflow.workspace !== principal.workspace) {
      throw new NotFoundException(`Workflow ${id} not found`);
    }
    const channelId = previewChannelId(id);
    const context = commandContextFor(principal, headers);
    if ((await loadState(this.store, channelStreamName(channelId), channelDecider)).status === 'initial') {
      const config = validateChannelConfig('webchat', CHANNEL_ADAPTERS.webchat.config, {});
      try {
        await this.commands.execute(new CreateChannelCommand(channelId, 'webchat', previewChannelName(workflow.name), config, context));
      } catch (error) {
        // Another request made it in the meantime: that is the channel wanted.
        if (!(error instanceof ChannelAlreadyExistsError)) throw error;
      }
    }
    // Also puts the workflow back if someone assigned the channel another one.
    const { position } = await this.commands.execute(new AssignChannelWorkflowCommand(channelId, id, context));
    return { channelId, position };
  }
}

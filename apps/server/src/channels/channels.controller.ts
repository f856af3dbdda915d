import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CHANNEL_REGISTRY, type ChannelRegistry } from '#channels';
import { AssignChannelWorkflowCommand, CreateChannelCommand } from '#api-commands';
import { CHANNELS_COLLECTION, CHANNELS_PROJECTION, type ChannelDocument, READ_MODEL_STORE, type ReadModelStore } from '#readmodel';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '#platform';
import { newId } from '#engine';
import { commandContextFor } from '../http/command-context.factory.js';
import { ConsistencyService } from '../infrastructure/consistency.service.js';
import { ConsistentReadDto } from '../workflows/dto/workflow-queries.dto.js';
import { ResourceIdPipe } from '../http/resource-id.pipe.js';
import { ApiErrors, BODY_ERRORS, PATH_ERRORS } from '../openapi/api-errors.decorator.js';
import { CommandPositionDto } from '../openapi/command-position.dto.js';
import { ErrorResponseDto } from '../openapi/error-response.dto.js';
import { CREATE_CHANNEL_BODY_MODELS, CREATE_CHANNEL_BODY_SCHEMA } from './channel-config.schemas.js';
import { AssignWorkflowDto, CreateChannelDto } from './channel.dto.js';
import { ChannelCreatedDto, ChannelListDto, EXAMPLE_CHANNEL_ID } from './channel.responses.js';

const CHANNEL_ID = new ResourceIdPipe('Channel');

/** The channel path parameter; an id that is not a UUID is a 404 like an unknown one. */
const ApiChannelId = () =>
  ApiParam({ name: 'id', format: 'uuid', example: EXAMPLE_CHANNEL_ID, description: 'A channel of the caller’s workspace' });
/** Assigning retries once against a concurrent change of the same channel; a second one in between is a 409. */
const ApiConcurrentChannelChange = () =>
  ApiResponse({
    status: 409,
    type: ErrorResponseDto,
    description:
      'The channel is a workflow’s Try it preview, which runs that workflow only; or it changed concurrently, twice: send it again',
  });

type RequestHeaders = Record<string, string | string[] | undefined>;

/** A workspace has few channels: one page holds them all. */
const MAX_CHANNELS_LISTED = 1000;

@ApiTags('channels')
@ApiBearerAuth()
@Controller('channels')
export class ChannelsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly consistency: ConsistencyService,
    @Inject(READ_MODEL_STORE) private readonly readModel: ReadModelStore,
    @Inject(CHANNEL_REGISTRY) private readonly channels: ChannelRegistry,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({
    operationId: 'createChannel',
    summary: 'Create a channel',
    description:
      'A channel of one of the types below, with the config that type takes (`config` is checked against it: an unknown or missing ' +
      'setting is a 400 naming it). Secrets in the config are sealed when stored and never answered, listed or logged. A new channel ' +
      'has no workflow: assign one with `assignChannelWorkflow`.',
  })
  @ApiExtraModels(...CREATE_CHANNEL_BODY_MODELS)
  @ApiBody({
    schema: CREATE_CHANNEL_BODY_SCHEMA,
    examples: {
      webchat: { summary: 'A web chat', value: { type: 'webchat', name: 'Site chat' } },
      whatsapp: {
        summary: 'A WhatsApp number',
        value: {
          type: 'whatsapp',
          name: 'WhatsApp support',
          config: {
            phoneNumberId: '106540352242922',
            accessToken: 'EAAGm0PX4ZCpsBAKZC2ZAvh4ZBkQ',
            appSecret: '3f2e1d0c9b8a7f6e5d4c3b2a19081726',
            verifyToken: 'a-verify-token-of-your-choice',
          },
        },
      },
      messenger: {
        summary: 'A Facebook Page',
        value: {
          type: 'messenger',
          name: 'Messenger',
          config: {
            pageId: '1067280970047460',
            pageAccessToken: 'EAAGm0PX4ZCpsBAKZC2ZAvh4ZBkQ',
            appSecret: '3f2e1d0c9b8a7f6e5d4c3b2a19081726',
            verifyToken: 'a-verify-token-of-your-choice',
          },
        },
      },
      api: {
        summary: 'An outside adapter, called back',
        value: {
          type: 'api',
          name: 'SMS bridge',
          config: { secret: 'a-random-secret-of-32-characters-or-more', callbackUrl: 'https://sms.example.com/outbound' },
        },
      },
    },
  })
  @ApiCreatedResponse({ type: ChannelCreatedDto, description: 'Created, without a workflow' })
  @ApiErrors(...BODY_ERRORS, 401, 403, 429)
  async create(
    @Body() body: CreateChannelDto,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<ChannelCreatedDto> {
    const config = this.channels.validateConfig(body.type, body.config ?? {});
    const id = newId();
    const { position } = await this.commands.execute(
      new CreateChannelCommand(id, body.type, body.name, config, commandContextFor(principal, headers)),
    );
    return { id, position };
  }

  @Get()
  @ApiOperation({ operationId: 'listChannels', summary: 'List the channels', description: 'Every channel of the caller’s workspace.' })
  @ApiOkResponse({ type: ChannelListDto, description: 'The channels, without their config' })
  @ApiErrors(400, 401, 429)
  async list(@Query() query: ConsistentReadDto, @CurrentPrincipal() principal: Principal): Promise<ChannelListDto> {
    await this.consistency.waitFor(query.consistentWith, [CHANNELS_PROJECTION]);
    const channels = await this.readModel.list<ChannelDocument>(CHANNELS_COLLECTION, {
      workspace: principal.workspace,
      orderBy: 'createdAt',
      limit: MAX_CHANNELS_LISTED,
    });
    // A channel listed before previews were marked has no previewOf.
    return {
      items: channels.map(({ id, type, name, workflowId, previewOf }) => ({ id, type, name, workflowId, previewOf: previewOf ?? null })),
    };
  }

  @Put(':id/workflow')
  @Roles('admin')
  @ApiOperation({
    operationId: 'assignChannelWorkflow',
    summary: 'Assign a workflow to a channel',
    description:
      'A customer’s first message on the channel then starts a session on the workflow’s newest version. ' +
      'A deleted workflow or another workspace’s is a 404.',
  })
  @ApiChannelId()
  @ApiOkResponse({ type: CommandPositionDto, description: 'Assigned' })
  @ApiConcurrentChannelChange()
  @ApiErrors(...PATH_ERRORS, ...BODY_ERRORS, 401, 403, 404, 429)
  assign(
    @Param('id', CHANNEL_ID) id: string,
    @Body() body: AssignWorkflowDto,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<CommandPositionDto> {
    return this.commands.execute(
      new AssignChannelWorkflowCommand(id, body.workflowId.toLowerCase(), commandContextFor(principal, headers)),
    );
  }

  @Delete(':id/workflow')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    operationId: 'unassignChannelWorkflow',
    summary: 'Take a channel’s workflow off',
    description: 'The channel records its customers’ messages and answers nothing.',
  })
  @ApiChannelId()
  @ApiOkResponse({ type: CommandPositionDto, description: 'Unassigned (also when none was assigned)' })
  @ApiConcurrentChannelChange()
  // No body is read, but one that is sent is parsed like any other: its refusals are the same.
  @ApiErrors(...PATH_ERRORS, ...BODY_ERRORS, 401, 403, 404, 429)
  unassign(
    @Param('id', CHANNEL_ID) id: string,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<CommandPositionDto> {
    return this.commands.execute(new AssignChannelWorkflowCommand(id, undefined, commandContextFor(principal, headers)));
  }
}

import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CHANNEL_REGISTRY, type ChannelRegistry } from '#channels';
import { AssignChannelWorkflowCommand, CreateChannelCommand } from '#api-commands';
import { CHANNELS_COLLECTION, CHANNELS_PROJECTION, type ChannelDocument, READ_MODEL_STORE, type ReadModelStore } from '#readmodel';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '#platform';
import { commandContextFor } from '../http/command-context.factory.js';
import { ConsistencyService } from '../infrastructure/consistency.service.js';
import { ConsistentReadDto } from '../workflows/dto/workflow-queries.dto.js';
import { ResourceIdPipe } from '../http/resource-id.pipe.js';
import { AssignWorkflowDto, CreateChannelDto } from './channel.dto.js';

const CHANNEL_ID = new ResourceIdPipe('Channel');

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
  async create(
    @Body() body: CreateChannelDto,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<{ id: string; position: string }> {
    const config = this.channels.validateConfig(body.type, body.config ?? {});
    const id = randomUUID();
    const { position } = await this.commands.execute(
      new CreateChannelCommand(id, body.type, body.name, config, commandContextFor(principal, headers)),
    );
    return { id, position };
  }

  @Get()
  async list(@Query() query: ConsistentReadDto, @CurrentPrincipal() principal: Principal) {
    await this.consistency.waitFor(query.consistentWith, [CHANNELS_PROJECTION]);
    const channels = await this.readModel.list<ChannelDocument>(CHANNELS_COLLECTION, {
      workspace: principal.workspace,
      orderBy: 'createdAt',
      limit: MAX_CHANNELS_LISTED,
    });
    return { items: channels.map(({ id, type, name, workflowId }) => ({ id, type, name, workflowId })) };
  }

  @Put(':id/workflow')
  @Roles('admin')
  assign(
    @Param('id', CHANNEL_ID) id: string,
    @Body() body: AssignWorkflowDto,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<{ position: string }> {
    return this.commands.execute(
      new AssignChannelWorkflowCommand(id, body.workflowId.toLowerCase(), commandContextFor(principal, headers)),
    );
  }

  @Delete(':id/workflow')
  @HttpCode(200)
  @Roles('admin')
  unassign(
    @Param('id', CHANNEL_ID) id: string,
    @CurrentPrincipal() principal: Principal,
    @Headers() headers: RequestHeaders,
  ): Promise<{ position: string }> {
    return this.commands.execute(new AssignChannelWorkflowCommand(id, undefined, commandContextFor(principal, headers)));
  }
}

import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ReceiveChannelMessageCommand, loadChannel } from '#engine';
import { EVENT_STORE, type EventStore } from '#eventstore';
import {
  READ_MODEL_STORE,
  type ReadModelStore,
  SESSIONS_PROJECTION,
  listConversationMessages,
} from '#readmodel';
import { Public } from '../auth/auth.decorators.js';
import { ResourceIdPipe } from '../http/resource-id.pipe.js';
import { ConsistencyService } from '../infrastructure/consistency.service.js';
import { messageView } from '../sessions/session.views.js';
import { ConsistentReadDto } from '../workflows/dto/workflow-queries.dto.js';
import { CONTACT_ID_PATTERN, WebchatMessageDto } from './webchat.dto.js';

const CHANNEL_ID = new ResourceIdPipe('Channel');

/**
 * The web chat channel adapter: the widget posts a visitor's messages and reads the conversation
 * back (replies are not pushed: the transcript is the outbound side). Public, like any web chat:
 * the channel id and the visitor's contact id are what address a conversation.
 */
@ApiTags('webchat')
@Controller('webchat/:channelId')
export class WebchatController {
  constructor(
    private readonly commands: CommandBus,
    private readonly consistency: ConsistencyService,
    @Inject(READ_MODEL_STORE) private readonly readModel: ReadModelStore,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  /** 202 once the message is durably recorded; the session engine answers from the log. */
  @Post('messages')
  @HttpCode(202)
  @Public()
  async receive(
    @Param('channelId', CHANNEL_ID) channelId: string,
    @Body() body: WebchatMessageDto,
  ): Promise<{ messageId: string; position: string }> {
    const { contactId, text, contactName } = body;
    const message = { contactId, text, messageId: randomUUID(), ...(contactName === undefined ? {} : { contactName }) };
    return this.commands.execute(new ReceiveChannelMessageCommand(channelId, 'webchat', message));
  }

  @Get('contacts/:contactId/messages')
  @Public()
  async transcript(
    @Param('channelId', CHANNEL_ID) channelId: string,
    @Param('contactId') contactId: string,
    @Query() query: ConsistentReadDto,
  ) {
    if (!CONTACT_ID_PATTERN.test(contactId)) throw new NotFoundException(`Contact ${contactId} not found`);
    await this.consistency.waitFor(query.consistentWith, [SESSIONS_PROJECTION]);
    // From the channel's own stream: a widget may ask the moment its channel was created.
    const channel = await loadChannel(this.eventStore, channelId);
    if (channel.status !== 'active' || channel.channelType !== 'webchat') throw new NotFoundException(`Channel ${channelId} not found`);
    const messages = await listConversationMessages(this.readModel, channel.workspace, channelId, contactId);
    return { items: messages.map(messageView) };
  }
}

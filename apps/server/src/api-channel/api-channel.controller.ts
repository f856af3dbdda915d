import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { isPulledFrom } from '#channels';
import type { ActiveChannel } from '#domain';
import { derivedUuid } from '#engine';
import {
  API_CHANNEL_OUTBOX_PROJECTION,
  API_OUTBOX_MESSAGES_COLLECTION,
  API_OUTBOX_SEQ_DIGITS,
  type ApiOutboxMessageDocument,
  READ_MODEL_STORE,
  type ReadModelStore,
} from '#readmodel';
import { Public } from '../auth/auth.decorators.js';
import { ConsistencyService } from '../infrastructure/consistency.service.js';
import {
  AcknowledgeApiChannelMessagesCommand,
  ReceiveApiChannelMessageCommand,
  RecordApiChannelReceiptCommand,
} from './api-channel.commands.js';
import { ApiChannelMessageDto, ApiChannelReceiptDto, ApiOutboxAckDto, ApiOutboxQueryDto, DEFAULT_OUTBOX_PAGE } from './api-channel.dto.js';
import { ApiChannelSecretGuard, AuthenticatedApiChannel } from './api-channel-secret.guard.js';

/** Before every message's place: `after` it is the whole outbox. */
const OUTBOX_START = '0'.repeat(API_OUTBOX_SEQ_DIGITS);
// Seqs are unique within a channel: after a seq means after it whatever the message id.
const ABOVE_EVERY_ID = '\u{10FFFF}';

/** A message as callbacks and the pull endpoint give it. */
const outboxItem = ({ id, contactId, text, choices, sessionId, workflowId, sentAt }: ApiOutboxMessageDocument) => ({
  messageId: id,
  contactId,
  text,
  choices,
  sessionId,
  workflowId,
  sentAt,
});

/**
 * The API channel, for adapters that run outside the service (an SMS or Telegram bridge, an app):
 * they post the customers' messages and receipts here, and either receive the bot's messages at
 * their callback URL or pull them from the channel's outbox and acknowledge them. Every route
 * takes the channel's secret as its bearer token (see the README's "API channel").
 */
@ApiTags('api-channel')
@ApiBearerAuth()
@Controller('channels/:channelId/api')
@Public()
@UseGuards(ApiChannelSecretGuard)
export class ApiChannelController {
  constructor(
    private readonly commands: CommandBus,
    private readonly consistency: ConsistencyService,
    @Inject(READ_MODEL_STORE) private readonly readModel: ReadModelStore,
  ) {}

  /** 202 once durably recorded; the same externalId again is 200 with the first answer, recorded once. */
  @Post('messages')
  @HttpCode(202)
  async receive(
    @AuthenticatedApiChannel() channel: ActiveChannel,
    @Body() body: ApiChannelMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ messageId: string; position: string }> {
    const { contactId, contactName, text, choice, externalId } = body;
    if ((text === undefined) === (choice === undefined)) throw new BadRequestException('text or choice is required, exactly one of them');
    const message = {
      contactId,
      ...(contactName === undefined ? {} : { contactName }),
      // The id the message is known by in the service: the same for every repeat of the externalId.
      messageId: derivedUuid(`api-channel-message|${channel.channelId}|${externalId}`),
      // A choice answers with the option's value, as a chosen button does on the other channels.
      text: text ?? choice ?? '',
    };
    const { messageId, position, repeated } = await this.commands.execute(new ReceiveApiChannelMessageCommand(channel, message));
    if (repeated) reply.status(200);
    return { messageId, position };
  }

  @Post('receipts')
  @HttpCode(202)
  receipt(@AuthenticatedApiChannel() channel: ActiveChannel, @Body() body: ApiChannelReceiptDto): Promise<{ position: string }> {
    const { messageId, status, at } = body;
    return this.commands.execute(new RecordApiChannelReceiptCommand(channel, { messageId, status, ...(at === undefined ? {} : { at }) }));
  }

  /** Pull mode: the messages not acknowledged yet, in the order they were sent, `after` a cursor. */
  @Get('outbox')
  async outbox(@AuthenticatedApiChannel() channel: ActiveChannel, @Query() query: ApiOutboxQueryDto) {
    requirePullMode(channel);
    await this.consistency.waitFor(query.consistentWith, [API_CHANNEL_OUTBOX_PROJECTION]);
    const after = (query.after ?? OUTBOX_START).padStart(API_OUTBOX_SEQ_DIGITS, '0');
    const messages = await this.readModel.list<ApiOutboxMessageDocument>(API_OUTBOX_MESSAGES_COLLECTION, {
      workspace: channel.workspace,
      where: { channelId: channel.channelId },
      orderBy: 'seq',
      order: 'asc',
      after: { value: after, id: ABOVE_EVERY_ID },
      limit: query.limit ?? DEFAULT_OUTBOX_PAGE,
    });
    return { items: messages.map(outboxItem), next: messages.at(-1)?.seq ?? after };
  }

  /** Pull mode: these messages are taken; each is recorded delivered and leaves the outbox. */
  @Post('outbox/ack')
  @HttpCode(200)
  async acknowledge(@AuthenticatedApiChannel() channel: ActiveChannel, @Body() body: ApiOutboxAckDto) {
    requirePullMode(channel);
    const acknowledged: { messageId: string; sessionId: string }[] = [];
    const unknown: string[] = [];
    for (const messageId of new Set(body.messageIds)) {
      const message = await this.readModel.get<ApiOutboxMessageDocument>(API_OUTBOX_MESSAGES_COLLECTION, messageId);
      if (message?.channelId === channel.channelId && message.workspace === channel.workspace) {
        acknowledged.push({ messageId, sessionId: message.sessionId });
      } else {
        unknown.push(messageId);
      }
    }
    const { position } = await this.commands.execute(new AcknowledgeApiChannelMessagesCommand(channel, acknowledged));
    return { acknowledged: acknowledged.map(({ messageId }) => messageId), unknown, position };
  }
}

/** A channel with a callback URL has its messages pushed: it has no outbox to pull from. */
function requirePullMode(channel: ActiveChannel): void {
  if (!isPulledFrom(channel.config)) {
    throw new NotFoundException(`Channel ${channel.channelId} delivers to its callbackUrl: it has no outbox to pull`);
  }
}

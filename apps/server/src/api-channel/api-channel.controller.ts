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
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
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
import { EXAMPLE_CHANNEL_ID } from '../channels/channel.responses.js';
import { ApiErrors, BODY_ERRORS, PATH_ERRORS } from '../openapi/api-errors.decorator.js';
import { CommandPositionDto } from '../openapi/command-position.dto.js';
import { ErrorResponseDto } from '../openapi/error-response.dto.js';
import { CHANNEL_SECRET_SCHEME } from '../openapi/openapi-document.js';
import { AcceptedMessageDto } from '../webchat/webchat.responses.js';
import {
  AcknowledgeApiChannelMessagesCommand,
  ReceiveApiChannelMessageCommand,
  RecordApiChannelReceiptCommand,
} from './api-channel.commands.js';
import { ApiChannelMessageDto, ApiChannelReceiptDto, ApiOutboxAckDto, ApiOutboxQueryDto, DEFAULT_OUTBOX_PAGE } from './api-channel.dto.js';
import { ApiChannelSecretGuard, AuthenticatedApiChannel } from './api-channel-secret.guard.js';
import { ApiOutboxAcknowledgementDto, ApiOutboxMessageDto, ApiOutboxPageDto, exampleOutboxMessageId } from './api-channel.responses.js';

/** Before every message's place: `after` it is the whole outbox. */
const OUTBOX_START = '0'.repeat(API_OUTBOX_SEQ_DIGITS);
// Seqs are unique within a channel: after a seq means after it whatever the message id.
const ABOVE_EVERY_ID = '\u{10FFFF}';

/** A message as callbacks and the pull endpoint give it. */
const outboxItem = ({ id, contactId, text, choices, sessionId, workflowId, sentAt }: ApiOutboxMessageDocument): ApiOutboxMessageDto => ({
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
@ApiSecurity(CHANNEL_SECRET_SCHEME)
@ApiParam({ name: 'channelId', format: 'uuid', example: EXAMPLE_CHANNEL_ID, description: 'An API channel' })
// Every route: the secret is checked before the body, even one that does not parse.
@ApiResponse({ status: 401, type: ErrorResponseDto, description: 'No bearer token, or not this channel’s secret' })
@ApiErrors(...PATH_ERRORS, 429)
@Controller('channels/:channelId/api')
@Public('own-credentials')
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
  @ApiOperation({
    operationId: 'receiveApiChannelMessage',
    summary: 'Send a customer’s message',
    description:
      'A customer’s text, or the `value` of one of the `choices` of the bot’s last message (exactly one of `text` and `choice`), ' +
      'recorded on the contact’s conversation; the session engine answers from the log. `externalId` makes it idempotent: the ' +
      'same `externalId` again answers 200 with the very same body and records nothing, so retry freely after a timeout or a 5xx.',
  })
  @ApiBody({
    type: ApiChannelMessageDto,
    examples: {
      text: {
        summary: 'A customer writes',
        value: { contactId: 'sms:+4915112345678', contactName: 'Ada', text: 'Hello', externalId: 'SM8f3a2c' },
      },
      choice: {
        summary: 'A customer chooses an option',
        value: { contactId: 'sms:+4915112345678', choice: 'returns', externalId: 'SM8f3a2d' },
      },
    },
  })
  @ApiAcceptedResponse({ type: AcceptedMessageDto, description: 'Durably recorded' })
  @ApiOkResponse({ type: AcceptedMessageDto, description: 'A repeat of an `externalId`: the first answer again, nothing recorded' })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'No API channel has this id' })
  @ApiResponse({
    status: 409,
    type: ErrorResponseDto,
    description: 'The conversation kept changing while the message was recorded (many at once): send it again',
  })
  @ApiErrors(...BODY_ERRORS)
  async receive(
    @AuthenticatedApiChannel() channel: ActiveChannel,
    @Body() body: ApiChannelMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedMessageDto> {
    const { contactId, contactName, text, choice, externalId } = body;
    if ((text === undefined) === (choice === undefined)) throw new BadRequestException('text or choice is required, exactly one of them');
    const message = {
      contactId,
      ...(contactName === undefined ? {} : { contactName }),
      // The id the message is known by in the service: the same for every repeat of the externalId
      // by this contact. Another contact's message under the same externalId is another message.
      messageId: derivedUuid(`api-channel-message|${channel.channelId}|${contactId}|${externalId}`),
      // A choice answers with the option's value, as a chosen button does on the other channels.
      text: text ?? choice ?? '',
    };
    // Ids were derived from the channel and externalId alone before: a repeat of such a message is found by that id.
    const earlierMessageId = derivedUuid(`api-channel-message|${channel.channelId}|${externalId}`);
    const { messageId, position, repeated } = await this.commands.execute(
      new ReceiveApiChannelMessageCommand(channel, message, earlierMessageId),
    );
    if (repeated) reply.status(200);
    return { messageId, position };
  }

  @Post('receipts')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'recordApiChannelReceipt',
    summary: 'Report what became of a message',
    description:
      'Recorded for the message as Meta’s statuses are (for audit and reports: delivery itself is settled by the callback’s answer ' +
      'or the acknowledgement); the same receipt reported again is stored once.',
  })
  @ApiBody({
    type: ApiChannelReceiptDto,
    examples: {
      read: {
        summary: 'The customer read it',
        value: { messageId: exampleOutboxMessageId(2), status: 'read', at: '2026-01-01T12:01:00Z' },
      },
    },
  })
  @ApiAcceptedResponse({ type: CommandPositionDto, description: 'Recorded' })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'No API channel has this id' })
  @ApiErrors(...BODY_ERRORS)
  receipt(@AuthenticatedApiChannel() channel: ActiveChannel, @Body() body: ApiChannelReceiptDto): Promise<CommandPositionDto> {
    const { messageId, status, at } = body;
    return this.commands.execute(new RecordApiChannelReceiptCommand(channel, { messageId, status, ...(at === undefined ? {} : { at }) }));
  }

  @Get('outbox')
  @ApiOperation({
    operationId: 'listApiChannelOutbox',
    summary: 'List the bot’s messages to pull',
    description:
      'Pull mode (a channel without `callbackUrl`): the messages not acknowledged yet, in the order they were sent, so each ' +
      'session’s in order. Without `after` the list starts at the oldest unacknowledged message; `next` continues after the page. ' +
      'Hand them over, acknowledge them, keep `next`.',
  })
  @ApiOkResponse({ type: ApiOutboxPageDto, description: 'A page of the outbox' })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'No API channel has this id, or it delivers to its callbackUrl' })
  async outbox(@AuthenticatedApiChannel() channel: ActiveChannel, @Query() query: ApiOutboxQueryDto): Promise<ApiOutboxPageDto> {
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

  @Post('outbox/ack')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'acknowledgeApiChannelMessages',
    summary: 'Acknowledge pulled messages',
    description:
      'Pull mode: these messages are taken. Each one is recorded delivered and leaves the outbox; ids not (or no longer) in this ' +
      'channel’s outbox come back in `unknown`.',
  })
  @ApiBody({
    type: ApiOutboxAckDto,
    examples: {
      taken: {
        summary: 'Two messages handed over',
        value: { messageIds: [exampleOutboxMessageId(1), exampleOutboxMessageId(2)] },
      },
    },
  })
  @ApiOkResponse({ type: ApiOutboxAcknowledgementDto, description: 'What was acknowledged, and what was not in the outbox' })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'No API channel has this id, or it delivers to its callbackUrl' })
  @ApiResponse({
    status: 409,
    type: ErrorResponseDto,
    description: 'A session’s outbox changed concurrently, twice: send it again (what was recorded stays recorded)',
  })
  @ApiErrors(...BODY_ERRORS)
  async acknowledge(
    @AuthenticatedApiChannel() channel: ActiveChannel,
    @Body() body: ApiOutboxAckDto,
  ): Promise<ApiOutboxAcknowledgementDto> {
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

import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { channelDecider, channelStreamName, quotedInput } from '#domain';
import { loadState, newId } from '#engine';
import { ReceiveChannelMessageCommand } from '#api-commands';
import { EVENT_STORE, type EventStore } from '#eventstore';
import {
  CONVERSATIONS_COLLECTION,
  type ConversationMessageDocument,
  READ_MODEL_STORE,
  type ReadModelStore,
  SESSIONS_PROJECTION,
  TRANSCRIPT_START,
  type TranscriptPage,
  type TranscriptPageStart,
  conversationKey,
  conversationMessage,
  transcriptCursor,
  transcriptPage,
  transcriptPageAfterCursor,
} from '#readmodel';
import { Public } from '../auth/auth.decorators.js';
import { CONTACT_ID_PATTERN } from '#channels';
import { ResourceIdPipe } from '../http/resource-id.pipe.js';
import { ConsistencyService } from '../infrastructure/consistency.service.js';
import { messageView } from '../sessions/session.views.js';
import { ReadModelChanges } from '../infrastructure/read-model-changes.service.js';
import { EXAMPLE_CHANNEL_ID } from '../channels/channel.responses.js';
import { ApiErrors, BODY_ERRORS, PATH_ERRORS } from '../openapi/api-errors.decorator.js';
import { ErrorResponseDto } from '../openapi/error-response.dto.js';
import { DEFAULT_TRANSCRIPT_PAGE, MAX_REPLY_WAIT_SECONDS, TranscriptQueryDto, WebchatMessageDto } from './webchat.dto.js';
import { AcceptedMessageDto, WebchatTranscriptPageDto } from './webchat.responses.js';

const CHANNEL_ID = new ResourceIdPipe('Channel');

const ApiWebchatChannelId = () =>
  ApiParam({ name: 'channelId', format: 'uuid', example: EXAMPLE_CHANNEL_ID, description: 'A web chat channel' });

/**
 * The web chat channel adapter: the widget posts a visitor's messages and reads the conversation
 * back, waiting for the next reply with a long poll (the transcript is the outbound side). Public, like any web chat:
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
    private readonly changes: ReadModelChanges,
  ) {}

  @Post('messages')
  @HttpCode(202)
  @Public()
  @ApiOperation({
    operationId: 'sendWebchatMessage',
    summary: 'Send a visitor’s message',
    description:
      'Recorded on the visitor’s conversation, then answered by the session engine from the log: read the replies with ' +
      '`getWebchatTranscript` and `waitFor` set to the `messageId` answered here. A visitor may send many messages at once: each is ' +
      'recorded, and they are answered in the order they were recorded. Public, like any web chat: the channel id and the contact id ' +
      'address the conversation, so a widget should use a random contact id per visitor.',
  })
  @ApiWebchatChannelId()
  @ApiBody({
    type: WebchatMessageDto,
    examples: {
      first: {
        summary: 'A visitor’s first message, with a name',
        value: { contactId: 'visitor-7f3a9c', text: 'Hello', contactName: 'Ada' },
      },
      later: { summary: 'A later message', value: { contactId: 'visitor-7f3a9c', text: 'Returns' } },
    },
  })
  @ApiAcceptedResponse({ type: AcceptedMessageDto, description: 'Durably recorded; the reply follows in the transcript' })
  @ApiResponse({
    status: 404,
    type: ErrorResponseDto,
    description: 'No web chat channel has this id',
  })
  @ApiResponse({
    status: 409,
    type: ErrorResponseDto,
    description: 'The conversation kept changing while the message was recorded (many at once): send it again',
  })
  @ApiErrors(...PATH_ERRORS, ...BODY_ERRORS, 429)
  async receive(@Param('channelId', CHANNEL_ID) channelId: string, @Body() body: WebchatMessageDto): Promise<AcceptedMessageDto> {
    const { contactId, text, contactName } = body;
    const message = { contactId, text, messageId: newId(), ...(contactName === undefined ? {} : { contactName }) };
    return this.commands.execute(new ReceiveChannelMessageCommand(channelId, 'webchat', message));
  }

  @Get('contacts/:contactId/messages')
  @Public()
  @ApiOperation({
    operationId: 'getWebchatTranscript',
    summary: 'Read a visitor’s conversation',
    description:
      'A page of the conversation, oldest message first: the newest `limit` messages by default, those after `after` or before ' +
      '`before`. With `waitFor`, a long poll: answers as soon as a reply recorded after that message is there, with the messages ' +
      'after it (or, after `waitSeconds`, with what there is, perhaps none) — a widget waits for the next reply without polling. ' +
      '`after`, `before` and `waitFor` are one at a time. A `waitFor` that is not a message of this conversation is a 404 once ' +
      'the wait is over.',
  })
  @ApiWebchatChannelId()
  @ApiParam({
    name: 'contactId',
    schema: { type: 'string', pattern: CONTACT_ID_PATTERN.source, example: 'visitor-7f3a9c' },
    description: 'The visitor, as the widget named them when sending',
  })
  @ApiOkResponse({ type: WebchatTranscriptPageDto, description: 'A page of the conversation' })
  @ApiResponse({
    status: 404,
    type: ErrorResponseDto,
    description: 'No web chat channel has this id, the contact id cannot be one, or `waitFor` is no message of this conversation',
  })
  @ApiErrors(...PATH_ERRORS, 429)
  async transcript(
    @Param('channelId', CHANNEL_ID) channelId: string,
    @Param('contactId') contactId: string,
    @Query() query: TranscriptQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebchatTranscriptPageDto> {
    if (!CONTACT_ID_PATTERN.test(contactId)) throw new NotFoundException(`Contact ${quotedInput(contactId)} not found`);
    const { after, before, waitFor } = query;
    if ([after, before, waitFor].filter((given) => given !== undefined).length > 1) {
      throw new BadRequestException('after, before and waitFor cannot be combined: give one of them');
    }
    await this.consistency.waitFor(query.consistentWith, [SESSIONS_PROJECTION]);
    // From the channel's own stream: a widget may ask the moment its channel was created.
    const channel = await loadState(this.eventStore, channelStreamName(channelId), channelDecider);
    if (channel.status !== 'active' || channel.channelType !== 'webchat') throw new NotFoundException(`Channel ${channelId} not found`);
    const conversation = { channelId, contactId };
    const limit = query.limit ?? DEFAULT_TRANSCRIPT_PAGE;
    const page =
      waitFor === undefined
        ? after !== undefined
          ? await transcriptPageAfterCursor(this.readModel, channel.workspace, conversation, transcriptCursor(after), limit)
          : await transcriptPage(this.readModel, channel.workspace, conversation, pageStart(before), limit)
        : await this.replyTo(
            channel.workspace,
            conversation,
            waitFor,
            limit,
            (query.waitSeconds ?? MAX_REPLY_WAIT_SECONDS) * 1000,
            abandonment(reply),
          );
    return { items: page.messages.map(messageView), next: page.next, previous: page.previous };
  }

  /**
   * The messages after `messageId` once one of them is a reply, when `waitMs` is up, or at once
   * when the server shuts down (it closes once every request is answered). Each
   * round registers for the conversation's next change before reading, so none is missed. A
   * widget that went away (its page closed) ends the wait at once: nobody reads the answer.
   */
  private async replyTo(
    workspace: string,
    conversation: { channelId: string; contactId: string },
    messageId: string,
    limit: number,
    waitMs: number,
    abandoned: AbortSignal,
  ): Promise<TranscriptPage> {
    const key = conversationKey(conversation.channelId, conversation.contactId);
    const deadline = Date.now() + waitMs;
    let message: ConversationMessageDocument | undefined;
    for (;;) {
      if (abandoned.aborted) return { messages: [], next: TRANSCRIPT_START, previous: null };
      const change = this.changes.nextChange(CONVERSATIONS_COLLECTION, key, Math.max(deadline - Date.now(), 0));
      abandoned.addEventListener('abort', change.cancel, { once: true });
      // Once found, a message keeps its place: only the messages after it are read again.
      message ??= await conversationMessage(this.readModel, workspace, conversation, messageId);
      const page = message && (await transcriptPage(this.readModel, workspace, conversation, { after: message.seq }, limit));
      const replied = page?.messages.some(({ direction }) => direction === 'outbound') ?? false;
      if (replied || Date.now() >= deadline || this.changes.closing) {
        change.cancel();
        if (page === undefined) throw new NotFoundException(`Message ${messageId} not found in this conversation`);
        return page;
      }
      await change.changed;
      abandoned.removeEventListener('abort', change.cancel);
    }
  }
}

/** Aborts when the connection closes before the answer is sent. */
const abandonment = (reply: FastifyReply): AbortSignal => {
  const abandoned = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abandoned.abort();
  });
  return abandoned.signal;
};

/** Where the page starts; the cursors have the shape the query's validation checked. */
const pageStart = (before: string | undefined): TranscriptPageStart =>
  before === undefined ? { newest: true } : { before: transcriptCursor(before) };

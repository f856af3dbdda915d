import {
  applyDecorators,
  Controller,
  ForbiddenException,
  Get,
  Header,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { type ActiveChannel, channelDecider, channelStreamName } from '#domain';
import {
  CHANNEL_REGISTRY,
  CHANNEL_SECRETS,
  type ChannelAccess,
  type ChannelRegistry,
  type SecretBox,
  type WebhookInbound,
  type WebhookRequest,
  openChannel,
} from '#channels';
import { loadState } from '#engine';
import { RecordChannelWebhookCommand } from '#api-commands';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { Public } from '../auth/auth.decorators.js';
import { EXAMPLE_CHANNEL_ID } from '../channels/channel.responses.js';
import { ResourceIdPipe } from '../http/resource-id.pipe.js';
import { ApiErrors, BODY_ERRORS, PATH_ERRORS } from '../openapi/api-errors.decorator.js';
import { ErrorResponseDto } from '../openapi/error-response.dto.js';
import { META_WEBHOOK_PAYLOAD_EXAMPLES, META_WEBHOOK_PAYLOAD_SCHEMA, WEBHOOK_CHANNEL_TYPES } from './webhook-requests.schemas.js';
import { WebhookDeliveryReceivedDto } from './webhooks.responses.js';

const CHANNEL_ID = new ResourceIdPipe('Channel');

/** The route, as Fastify names it. */
export const WEBHOOK_ROUTE = '/webhooks/:channelType/:channelId';
/** Meta's documented largest webhook delivery (a batch of updates), past the 1 MiB every other body gets. */
export const WEBHOOK_BODY_LIMIT_BYTES = 3 * 1024 * 1024;

/** The webhook's path: the channel's type and id, as the console shows the URL to paste into Meta's app. */
const ApiWebhookPath = () =>
  applyDecorators(
    ApiParam({
      name: 'channelType',
      schema: { type: 'string', enum: [...WEBHOOK_CHANNEL_TYPES], example: 'whatsapp' },
      description: 'The channel’s type',
    }),
    ApiParam({ name: 'channelId', format: 'uuid', example: EXAMPLE_CHANNEL_ID, description: 'The channel' }),
    ApiResponse({ status: 404, type: ErrorResponseDto, description: 'No channel of this type has this id, or the type has no webhook' }),
  );

interface WebhookChannel {
  channel: ActiveChannel;
  inbound: WebhookInbound;
  access: ChannelAccess;
}

/**
 * The webhooks of channels whose provider calls the service (WhatsApp, Messenger): the provider's
 * handshake, and deliveries, each verified by the channel type's adapter. A verified delivery is
 * recorded as received and answered at once; the session engine processes it from the log.
 * Public: the adapter's verification is the authentication. A type without a webhook is a 404.
 */
@ApiTags('webhooks')
@Controller(WEBHOOK_ROUTE.slice(1))
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CHANNEL_SECRETS) private readonly secrets: SecretBox,
    @Inject(CHANNEL_REGISTRY) private readonly channels: ChannelRegistry,
  ) {}

  /** The provider's handshake: for Meta, `hub.mode=subscribe` with the channel's verify token → the challenge as plain text; else 403. */
  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({
    operationId: 'verifyChannelWebhook',
    summary: 'Answer Meta’s webhook verification',
    description:
      'Meta’s subscription handshake, when the webhook is set up in the app: `hub.mode=subscribe` with the channel’s `verifyToken` ' +
      'answers `hub.challenge` as plain text; anything else is a 403.',
  })
  @ApiWebhookPath()
  // Listed bottom-up: Meta's order.
  @ApiQuery({ name: 'hub.challenge', required: true, type: String, example: '1158201444', description: 'What to answer with' })
  @ApiQuery({
    name: 'hub.verify_token',
    required: true,
    type: String,
    example: 'a-verify-token-of-your-choice',
    description: 'The channel’s `verifyToken`',
  })
  @ApiQuery({
    name: 'hub.mode',
    required: true,
    schema: { type: 'string', enum: ['subscribe'], example: 'subscribe' },
    description: 'What Meta asks for',
  })
  @ApiOkResponse({
    description: 'The challenge, as plain text',
    content: { 'text/plain': { schema: { type: 'string', example: '1158201444' } } },
  })
  @ApiResponse({ status: 403, type: ErrorResponseDto, description: 'Not a subscription with the channel’s verify token' })
  @ApiErrors(...PATH_ERRORS, 429)
  async verify(
    @Param('channelType') channelType: string,
    @Param('channelId', CHANNEL_ID) channelId: string,
    @Req() request: FastifyRequest,
  ): Promise<string> {
    const { inbound, access } = await this.channel(channelType, channelId);
    const answer = inbound.answerHandshake(webhookRequestOf(request), access);
    if (answer === undefined) throw new ForbiddenException('The verification request does not match this channel');
    return answer;
  }

  @Post()
  // The signature is the credential: checked before anything about the body is answered.
  @Public('own-credentials')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'receiveChannelWebhook',
    summary: 'Receive a delivery from Meta',
    description:
      'Meta’s delivery of customers’ messages and message statuses. Verified by `X-Hub-Signature-256` (HMAC-SHA256 of the raw ' +
      'body with the channel’s `appSecret`), recorded as received and answered at once; the session engine processes it from the ' +
      'log: only what is addressed to the channel’s own phone number or page becomes messages and receipts, and a message Meta ' +
      'delivers twice is taken once.',
  })
  @ApiWebhookPath()
  @ApiHeader({
    name: 'X-Hub-Signature-256',
    required: true,
    example: 'sha256=6f1c0e0d5a9b4c3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e',
    description: '`sha256=` and the hex HMAC-SHA256 of the raw body, keyed with the channel’s `appSecret`',
  })
  @ApiBody({ schema: META_WEBHOOK_PAYLOAD_SCHEMA, examples: META_WEBHOOK_PAYLOAD_EXAMPLES })
  @ApiOkResponse({ type: WebhookDeliveryReceivedDto, description: 'Verified and recorded' })
  @ApiResponse({ status: 401, type: ErrorResponseDto, description: 'Not signed with the channel’s app secret (X-Hub-Signature-256)' })
  @ApiResponse({ status: 413, type: ErrorResponseDto, description: 'The body is larger than 3 MiB, Meta’s largest delivery' })
  @ApiErrors(...PATH_ERRORS, ...BODY_ERRORS.filter((status) => status !== 413), 429)
  async receive(
    @Param('channelType') channelType: string,
    @Param('channelId', CHANNEL_ID) channelId: string,
    @Req() request: FastifyRequest,
  ): Promise<WebhookDeliveryReceivedDto> {
    const { channel, inbound, access } = await this.channel(channelType, channelId);
    if (!inbound.isAuthentic(webhookRequestOf(request), access)) {
      throw new UnauthorizedException('The delivery is not signed by the provider of this channel');
    }
    if (request.bodyRefusal) throw request.bodyRefusal;
    const [first] = inbound.itemsOf(request.body, access.settings);
    await this.commands.execute(new RecordChannelWebhookCommand(channel, request.body, first?.contactId));
    return { received: true };
  }

  /** The channel of that type, from its own stream, with its secrets opened; a 404 for a type without a webhook. */
  private async channel(channelType: string, channelId: string): Promise<WebhookChannel> {
    const inbound = this.channels.find(channelType)?.inbound;
    const state = inbound?.kind === 'webhook' ? await loadState(this.eventStore, channelStreamName(channelId), channelDecider) : undefined;
    if (inbound?.kind !== 'webhook' || state?.status !== 'active' || state.channelType !== channelType) {
      throw new NotFoundException(`Channel ${channelId} not found`);
    }
    return { channel: state, inbound, access: openChannel(state, this.secrets) };
  }
}

const webhookRequestOf = (request: FastifyRequest): WebhookRequest => ({
  query: request.query as Record<string, unknown>,
  headers: request.headers,
  rawBody: request.rawBody,
});

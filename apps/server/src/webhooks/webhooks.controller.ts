import { timingSafeEqual } from 'node:crypto';
import {
  Controller,
  ForbiddenException,
  Get,
  Header,
  Headers,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { ActiveChannel } from '#domain';
import { CHANNEL_SECRETS, type SecretBox, hasValidMetaSignature } from '#channels';
import { RecordChannelWebhookCommand, loadChannel } from '#engine';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { Public } from '../auth/auth.decorators.js';
import { ResourceIdPipe } from '../http/resource-id.pipe.js';

const CHANNEL_ID = new ResourceIdPipe('Channel');
const WEBHOOK_TYPES = new Set(['whatsapp', 'messenger']);

/**
 * Meta's webhooks for WhatsApp and Messenger channels: the verification handshake, and deliveries
 * authenticated by their X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the channel's app
 * secret). A verified delivery is recorded as received and answered at once; the session engine
 * processes it from the log. Public: the signature is the authentication.
 */
@ApiTags('webhooks')
@Controller('webhooks/:channelType/:channelId')
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CHANNEL_SECRETS) private readonly secrets: SecretBox,
  ) {}

  /** `hub.mode=subscribe` with the channel's verify token → the challenge as plain text; else 403. */
  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  async verify(
    @Param('channelType') channelType: string,
    @Param('channelId', CHANNEL_ID) channelId: string,
    @Query('hub.mode') mode: unknown,
    @Query('hub.verify_token') token: unknown,
    @Query('hub.challenge') challenge: unknown,
  ): Promise<string> {
    const { secrets } = await this.channel(channelType, channelId);
    const expected = secrets.verifyToken ?? '';
    if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string' || !sameText(token, expected)) {
      throw new ForbiddenException('The verification request does not match this channel');
    }
    return challenge;
  }

  @Post()
  @Public()
  @HttpCode(200)
  async receive(
    @Param('channelType') channelType: string,
    @Param('channelId', CHANNEL_ID) channelId: string,
    @Headers('x-hub-signature-256') signature: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<{ received: true }> {
    const { channel, secrets } = await this.channel(channelType, channelId);
    const rawBody = request.rawBody;
    if (rawBody === undefined || !hasValidMetaSignature(rawBody, signature, secrets.appSecret ?? '')) {
      throw new UnauthorizedException('X-Hub-Signature-256 is missing or does not match the body');
    }
    await this.commands.execute(new RecordChannelWebhookCommand(channel, request.body));
    return { received: true };
  }

  /** The channel of that type, from its own stream, with its secrets opened. */
  private async channel(channelType: string, channelId: string): Promise<{ channel: ActiveChannel; secrets: Record<string, string> }> {
    const state = await loadChannel(this.eventStore, channelId);
    if (!WEBHOOK_TYPES.has(channelType) || state.status !== 'active' || state.channelType !== channelType || state.sealedSecrets === undefined) {
      throw new NotFoundException(`Channel ${channelId} not found`);
    }
    return { channel: state, secrets: this.secrets.open(state.sealedSecrets) };
  }
}

/** Compares without telling by its timing how much of the token was right. */
function sameText(given: string, expected: string): boolean {
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && b.length > 0 && timingSafeEqual(a, b);
}

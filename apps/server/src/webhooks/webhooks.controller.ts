import {
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
import { ApiTags } from '@nestjs/swagger';
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
import { ResourceIdPipe } from '../http/resource-id.pipe.js';

const CHANNEL_ID = new ResourceIdPipe('Channel');

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
@Controller('webhooks/:channelType/:channelId')
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
  @Public()
  @HttpCode(200)
  async receive(
    @Param('channelType') channelType: string,
    @Param('channelId', CHANNEL_ID) channelId: string,
    @Req() request: FastifyRequest,
  ): Promise<{ received: true }> {
    const { channel, inbound, access } = await this.channel(channelType, channelId);
    if (!inbound.isAuthentic(webhookRequestOf(request), access)) {
      throw new UnauthorizedException('The delivery is not signed by the provider of this channel');
    }
    await this.commands.execute(new RecordChannelWebhookCommand(channel, request.body));
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

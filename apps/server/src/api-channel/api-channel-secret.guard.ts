import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
  createParamDecorator,
} from '@nestjs/common';
import { type ActiveChannel, channelDecider, channelStreamName, quotedInput } from '#domain';
import { API_CHANNEL_TYPE, CHANNEL_SECRETS, type SecretBox } from '#channels';
import { loadState } from '#engine';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { checkRequestBody } from '../http/request-body.check.js';
import { UUID_PATTERN } from '../http/resource-id.pipe.js';

interface ApiChannelRequest {
  params: Record<string, string | undefined>;
  headers: Record<string, string | string[] | undefined>;
  apiChannel?: ActiveChannel;
}

/** Equal-length digests, so that neither the time taken nor a length check tells how much was right. */
const sameSecret = (given: string, expected: string): boolean =>
  expected !== '' && timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());

/**
 * The API channel's routes take the channel's own secret as a bearer token, not an admin's JWT
 * (they are @Public('own-credentials') for the JWT guard). The body is looked at only after the
 * secret (checkRequestBody): a caller without the secret learns nothing about its request. Unknown
 * channels and channels of another type are the same 404; a missing or wrong secret is 401. The
 * secret is never logged or echoed.
 */
@Injectable()
export class ApiChannelSecretGuard implements CanActivate {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CHANNEL_SECRETS) private readonly secrets: SecretBox,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ApiChannelRequest>();
    const channelId = (request.params.channelId ?? '').toLowerCase();
    const notFound = new NotFoundException(`Channel ${quotedInput(channelId)} not found`);
    if (!UUID_PATTERN.test(channelId)) throw notFound;
    const channel = await loadState(this.store, channelStreamName(channelId), channelDecider);
    if (channel.status !== 'active' || channel.channelType !== API_CHANNEL_TYPE || channel.sealedSecrets === undefined) throw notFound;
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException("Missing bearer token: the API channel's routes take the channel's secret");
    if (!sameSecret(match[1], this.secrets.open(channel.sealedSecrets).secret ?? '')) {
      throw new UnauthorizedException("The bearer token is not this channel's secret");
    }
    request.apiChannel = channel;
    checkRequestBody(context);
    return true;
  }
}

/** The API channel the request authenticated for (set by ApiChannelSecretGuard). */
export const AuthenticatedApiChannel = createParamDecorator((_data: unknown, context: ExecutionContext): ActiveChannel => {
  const channel = context.switchToHttp().getRequest<ApiChannelRequest>().apiChannel;
  if (!channel) throw new Error('AuthenticatedApiChannel used on a route without ApiChannelSecretGuard');
  return channel;
});

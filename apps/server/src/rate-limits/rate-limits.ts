import { hash } from 'node:crypto';
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_RATE_LIMITS, type RateLimitName, type RateLimitsConfig } from '#platform';
import { UUID_PATTERN } from '../http/resource-id.pipe.js';
import { CONTACT_ID_PATTERN } from '#channels';
import { WEBHOOK_ROUTE } from '../webhooks/webhooks.controller.js';
import { connectRateLimitCounters, mongoRateLimitStore } from './mongodb-rate-limit.store.js';

const WEBCHAT_SEND = '/webchat/:channelId/messages';
const WEBCHAT_TRANSCRIPT = '/webchat/:channelId/contacts/:contactId/messages';
const API_CHANNEL = /^\/channels\/:channelId\/api\//;
/** More keys than this are counted in memory by forgetting the least recently seen (the library's LRU). */
const MEMORY_KEYS_PER_LIMIT = 100_000;

type LimitedRequest = Pick<FastifyRequest, 'routeOptions' | 'params' | 'body' | 'headers' | 'ip'>;

/** One limit: which requests it counts, under which key, and what its refusal says. */
interface RequestLimit {
  name: Exclude<RateLimitName, 'refusedSignIns'>;
  /** Counted once the body is parsed, because the key is in it; the others refuse before that. */
  needsBody: boolean;
  /**
   * Counted only once the answer shows the request's credentials were accepted (the limit is still
   * enforced before it): anyone who knows a channel's id could otherwise spend the quota that the
   * provider's own deliveries need with badly signed ones, which count as refused sign-ins instead.
   */
  countedWhenCredentialsAccepted?: (request: LimitedRequest) => boolean;
  /** The key this request counts under; undefined when the limit does not count it. */
  keyOf: (request: LimitedRequest) => string | undefined;
  refusal: string;
}

const routeOf = (request: LimitedRequest): string => request.routeOptions.url ?? '';
const isWebchat = (request: LimitedRequest): boolean => [WEBCHAT_SEND, WEBCHAT_TRANSCRIPT].includes(routeOf(request));
const isApiChannel = (request: LimitedRequest): boolean => API_CHANNEL.test(routeOf(request));
const isChannelInbound = (request: LimitedRequest): boolean =>
  [WEBCHAT_SEND, WEBHOOK_ROUTE].includes(routeOf(request)) || isApiChannel(request);
const isWebhook = (request: LimitedRequest): boolean => routeOf(request) === WEBHOOK_ROUTE;
/** A webhook's credential is its signature (a delivery) or verify token (a handshake): a refused one is answered so. */
const refusedWebhookCredential = (statusCode: number): boolean => statusCode === 401 || statusCode === 403;

/** A well-formed channel id, lower-cased as the routes read it; anything else is a 404 and counts for no channel. */
const channelOf = (request: LimitedRequest): string | undefined => {
  const id = (request.params as { channelId?: string }).channelId;
  return id !== undefined && UUID_PATTERN.test(id) ? id.toLowerCase() : undefined;
};

/** The contact a web chat message is from, well-formed as the route requires; else the route answers 400 and no contact is counted. */
const contactOf = (request: LimitedRequest): string | undefined => {
  const id = (request.body as { contactId?: unknown } | undefined)?.contactId;
  return typeof id === 'string' && CONTACT_ID_PATTERN.test(id) ? id : undefined;
};

/** An IPv6 client is counted by its /64, which one machine can fill with addresses. */
const addressOf = (request: LimitedRequest): string => normalizeIP(request.ip);

const bearerTokenOf = (request: LimitedRequest): string | undefined => {
  const header = request.headers.authorization;
  return typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
};

/** Keys may be logged by a store: a digest names the token without being it. */
const digest = (token: string): string => hash('sha256', token, 'base64url');

const REQUEST_LIMITS: readonly RequestLimit[] = [
  {
    name: 'token',
    needsBody: false,
    // The API channel's bearer token is a channel's secret: those requests count for their channel.
    keyOf: (request) => {
      const token = isApiChannel(request) ? undefined : bearerTokenOf(request);
      return token === undefined ? undefined : `token|${digest(token)}`;
    },
    refusal: 'Too many requests with this token',
  },
  {
    name: 'webchatAddress',
    needsBody: false,
    keyOf: (request) => (isWebchat(request) ? `webchat-address|${addressOf(request)}` : undefined),
    refusal: 'Too many web chat requests from this address',
  },
  {
    name: 'channelInbound',
    needsBody: false,
    keyOf: (request) => {
      const channel = isChannelInbound(request) ? channelOf(request) : undefined;
      return channel === undefined ? undefined : `channel|${channel}`;
    },
    refusal: 'Too many requests to this channel',
    countedWhenCredentialsAccepted: isWebhook,
  },
  {
    name: 'webchatContact',
    needsBody: true,
    // Messages grow the log; reading the conversation does not, and the address limit bounds it.
    keyOf: (request) => {
      const channel = routeOf(request) === WEBCHAT_SEND ? channelOf(request) : undefined;
      const contact = channel === undefined ? undefined : contactOf(request);
      return contact === undefined ? undefined : `webchat-contact|${channel}|${contact}`;
    },
    refusal: 'Too many messages from this contact',
  },
];

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;
type LimitState = Awaited<ReturnType<Limiter>>;

/** The API's error shape; the message names the limit and never echoes the request. */
const refuse = (reply: FastifyReply, refusal: string, state: LimitState): FastifyReply => {
  const seconds = state.isAllowed ? 1 : Math.max(state.ttlInSeconds, 1);
  return reply
    .code(429)
    .header('retry-after', String(seconds))
    .type('application/json; charset=utf-8')
    .send({ statusCode: 429, message: `${refusal}; retry in ${seconds} s`, error: 'Too Many Requests' });
};

/** The store every limit counts in: the library's in memory, or one MongoDB collection every process shares. */
const storeOptions = async (fastify: FastifyInstance, config: RateLimitsConfig) => {
  if (config.store.kind === 'memory') return { cache: MEMORY_KEYS_PER_LIMIT };
  const { counters, close } = await connectRateLimitCounters(config.store.uri);
  fastify.addHook('onClose', close);
  return { store: mongoRateLimitStore(counters) };
};

/**
 * The abuse limits, each a fixed window counted by `@fastify/rate-limit`: per token on the admin
 * and auditor API, per client address on web chat, per contact on web chat, per channel on what
 * arrives at a channel (web chat messages, webhooks, the API channel), and per client address on
 * refused bearer tokens and webhook signatures or verify tokens, so guessing them is slow. An
 * answer over a limit is 429 with Retry-After; the request goes no further, so it stores nothing.
 * A store that cannot be reached lets requests through: the limits guard against abuse, they are
 * not what answers a request.
 */
export const useRateLimits = async (fastify: FastifyInstance, config: RateLimitsConfig = DEFAULT_RATE_LIMITS): Promise<void> => {
  if (!config.enabled) return;
  await fastify.register(fastifyRateLimit, { global: false, skipOnError: true, ...(await storeOptions(fastify, config)) });
  const limiterOf = (name: RateLimitName, keyOf: (request: LimitedRequest) => string | undefined): Limiter | undefined => {
    const limit = config.limits[name];
    if (limit === 'unlimited') return undefined;
    // Asked only for requests the limit counts, which have a key.
    return fastify.createRateLimit({ max: limit.max, timeWindow: limit.windowMs, keyGenerator: (request) => keyOf(request) ?? '' });
  };

  const counted = REQUEST_LIMITS.flatMap((limit) => {
    const limiter = limiterOf(limit.name, limit.keyOf);
    return limiter === undefined ? [] : [{ ...limit, limiter }];
  });
  const countedLater = (limit: (typeof counted)[number], request: LimitedRequest): boolean =>
    limit.countedWhenCredentialsAccepted?.(request) === true;
  // Only these are counted once answered: every other request leaves the hook at once, unhashed.
  const countedOnceAnswered = counted.filter((limit) => limit.countedWhenCredentialsAccepted !== undefined);
  const refuseOverLimits = (needsBody: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    for (const limit of counted.filter((candidate) => candidate.needsBody === needsBody)) {
      if (limit.keyOf(request) === undefined) continue;
      if (countedLater(limit, request)) {
        const state = await limit.limiter(request, { increment: false });
        if (!state.isAllowed && state.remaining === 0) return refuse(reply, limit.refusal, state);
        continue;
      }
      const state = await limit.limiter(request);
      if (!state.isAllowed && state.isExceeded) return refuse(reply, limit.refusal, state);
    }
  };
  // Before the answer leaves, so the next request already meets the count; a 429 was refused by a limit, not by its credentials.
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode === 429 || refusedWebhookCredential(reply.statusCode)) return payload;
    for (const limit of countedOnceAnswered) {
      if (countedLater(limit, request) && limit.keyOf(request) !== undefined) await limit.limiter(request);
    }
    return payload;
  });

  /** Bearer tokens and webhook credentials, the two kinds a caller can guess at. */
  const presentsCredential = (request: LimitedRequest): boolean => request.headers.authorization !== undefined || isWebhook(request);
  const isRefusedCredential = (request: LimitedRequest, statusCode: number): boolean =>
    isWebhook(request) ? refusedWebhookCredential(statusCode) : statusCode === 401 && request.headers.authorization !== undefined;
  const refusedSignIns = limiterOf('refusedSignIns', (request) => `refused-sign-ins|${addressOf(request)}`);
  if (refusedSignIns !== undefined) {
    fastify.addHook('onRequest', async (request, reply) => {
      if (!presentsCredential(request)) return;
      const state = await refusedSignIns(request, { increment: false });
      if (!state.isAllowed && state.remaining === 0) return refuse(reply, 'Too many refused sign-ins from this address', state);
    });
    fastify.addHook('onSend', async (request, reply, payload) => {
      if (isRefusedCredential(request, reply.statusCode)) await refusedSignIns(request);
      return payload;
    });
  }
  fastify.addHook('onRequest', refuseOverLimits(false));
  fastify.addHook('preHandler', refuseOverLimits(true));
};

/** What Fastify takes as `trustProxy`. */
type FastifyTrustProxy = boolean | string[] | ((address: string, hop: number) => boolean);

/**
 * Fastify's `trustProxy`: whose `X-Forwarded-For` names the client whose address is counted. A
 * number of hops trusts the nearest that many (hop 0 is the connection's peer), as Fastify would.
 */
export const trustedProxies = ({ trustProxy }: RateLimitsConfig = DEFAULT_RATE_LIMITS): FastifyTrustProxy => {
  if (typeof trustProxy === 'number') return (_address: string, hop: number) => hop < trustProxy;
  return trustProxy === false ? false : [...trustProxy];
};

import { timingSafeEqual } from 'node:crypto';
import { channelConfigField, httpUrlField } from '#domain';
import type { ChannelAccess, WebhookRequest } from '../channel-adapter.port.js';
import { DEFAULT_DELIVERY_TIMEOUT_MS, DEFAULT_GRAPH_API_BASE_URL, DEFAULT_GRAPH_API_VERSION } from '../channel-adapter.port.js';
import type { GraphApiSettings } from './graph-api.js';
import { hasValidMetaSignature } from './meta-signature.js';

/** Config fields of both Meta channel types. */
export const GRAPH_ID = channelConfigField(/^\d{1,32}$/, 'a numeric id');
export const META_TOKEN = channelConfigField(/^[\x21-\x7e]{1,4096}$/, 'a token of printable characters without spaces');
export const META_GRAPH_SETTINGS = {
  apiBaseUrl: httpUrlField(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'an http(s) URL without query').optional(),
  apiVersion: channelConfigField(/^v\d{1,3}\.\d{1,3}$/, 'a Graph API version like v21.0').optional(),
};
/** `appSecret` signs every delivery; `verifyToken` is what the handshake must repeat. */
export const META_WEBHOOK_SECRETS = { appSecret: META_TOKEN, verifyToken: META_TOKEN };

type MetaChannel = ChannelAccess<{
  settings: typeof META_GRAPH_SETTINGS;
  secrets: typeof META_WEBHOOK_SECRETS;
}>;

const firstOf = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** Compares without telling by its timing how much of the token was right. */
function sameText(given: string, expected: string): boolean {
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && b.length > 0 && timingSafeEqual(a, b);
}

/**
 * Meta's webhook verification, the same for WhatsApp and Messenger: the subscription handshake
 * (`hub.mode=subscribe` with the channel's verify token → the challenge), and deliveries signed
 * by `X-Hub-Signature-256` (HMAC-SHA256 of the raw body with the channel's app secret).
 */
export const metaWebhookVerification = {
  answerHandshake({ query }: WebhookRequest, { secrets }: MetaChannel): string | undefined {
    const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = query;
    if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string') return undefined;
    return sameText(token, secrets.verifyToken) ? challenge : undefined;
  },
  isAuthentic({ headers, rawBody }: WebhookRequest, { secrets }: MetaChannel): boolean {
    return rawBody !== undefined && hasValidMetaSignature(rawBody, firstOf(headers['x-hub-signature-256']), secrets.appSecret);
  },
};

/** Where and how long a channel's Graph API client sends, from its optional settings. */
export const graphApiSettingsOf = ({ settings }: MetaChannel): GraphApiSettings => ({
  apiBaseUrl: settings.apiBaseUrl ?? DEFAULT_GRAPH_API_BASE_URL,
  apiVersion: settings.apiVersion ?? DEFAULT_GRAPH_API_VERSION,
  timeoutMs: DEFAULT_DELIVERY_TIMEOUT_MS,
});

import {
  DEFAULT_DELIVERY_TIMEOUT_MS,
  DEFAULT_GRAPH_API_BASE_URL,
  DEFAULT_GRAPH_API_VERSION,
  type PushChannelClient,
} from './channel-adapter.port.js';
import { MessengerClient } from './messenger/messenger-outbound.js';
import { WhatsAppClient } from './whatsapp/whatsapp-outbound.js';

/** A channel's type, settings and opened secrets, as its stream and sealed secrets give them. */
export interface PushChannelAccess {
  channelType: string;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
}

const setting = (settings: Record<string, unknown>, name: string, fallback: string): string =>
  typeof settings[name] === 'string' ? settings[name] : fallback;

/** The client that delivers to the channel's provider; undefined for channels nothing is pushed to. */
export function pushChannelClientFor({ channelType, settings, secrets }: PushChannelAccess): PushChannelClient | undefined {
  const apiBaseUrl = setting(settings, 'apiBaseUrl', DEFAULT_GRAPH_API_BASE_URL);
  const apiVersion = setting(settings, 'apiVersion', DEFAULT_GRAPH_API_VERSION);
  const timeoutMs = DEFAULT_DELIVERY_TIMEOUT_MS;
  switch (channelType) {
    case 'whatsapp':
      return new WhatsAppClient({
        phoneNumberId: setting(settings, 'phoneNumberId', ''),
        accessToken: secrets.accessToken ?? '',
        apiBaseUrl,
        apiVersion,
        timeoutMs,
      });
    case 'messenger':
      return new MessengerClient({ pageAccessToken: secrets.pageAccessToken ?? '', apiBaseUrl, apiVersion, timeoutMs });
    default:
      return undefined;
  }
}

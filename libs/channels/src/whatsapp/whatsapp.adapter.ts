import type { ChannelAdapter } from '../channel-adapter.port.js';
import {
  GRAPH_ID,
  META_GRAPH_SETTINGS,
  META_TOKEN,
  META_WEBHOOK_SECRETS,
  graphApiSettingsOf,
  metaWebhookVerification,
} from '../meta/meta-webhook.js';
import { parseWhatsAppWebhook } from './whatsapp-inbound.js';
import { WHATSAPP_INTERACTIVE_FORMS, WHATSAPP_TEXT_MAX_LENGTH, WhatsAppClient } from './whatsapp-outbound.js';

const whatsAppConfig = {
  settings: { phoneNumberId: GRAPH_ID, ...META_GRAPH_SETTINGS },
  secrets: { accessToken: META_TOKEN, ...META_WEBHOOK_SECRETS },
};

/** WhatsApp through Meta's Cloud API: Meta's webhook in, the `/{phone-number-id}/messages` endpoint out. */
export const whatsAppAdapter: ChannelAdapter<'whatsapp', typeof whatsAppConfig> = {
  type: 'whatsapp',
  config: whatsAppConfig,
  inbound: { kind: 'webhook', ...metaWebhookVerification, itemsOf: parseWhatsAppWebhook },
  outbound: {
    kind: 'push',
    maxTextLength: WHATSAPP_TEXT_MAX_LENGTH,
    interactiveForms: WHATSAPP_INTERACTIVE_FORMS,
    client: (channel, fetchImpl) =>
      new WhatsAppClient(
        {
          ...graphApiSettingsOf(channel),
          phoneNumberId: channel.settings.phoneNumberId,
          accessToken: channel.secrets.accessToken,
        },
        fetchImpl,
      ),
  },
};

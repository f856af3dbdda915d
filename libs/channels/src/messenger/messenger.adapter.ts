import type { ChannelAdapter } from '../channel-adapter.port.js';
import {
  GRAPH_ID,
  META_GRAPH_SETTINGS,
  META_TOKEN,
  META_WEBHOOK_SECRETS,
  graphApiSettingsOf,
  metaWebhookVerification,
} from '../meta/meta-webhook.js';
import { parseMessengerWebhook } from './messenger-inbound.js';
import { MESSENGER_INTERACTIVE_FORMS, MESSENGER_TEXT_MAX_LENGTH, MessengerClient } from './messenger-outbound.js';

const messengerConfig = {
  settings: { pageId: GRAPH_ID, ...META_GRAPH_SETTINGS },
  secrets: { pageAccessToken: META_TOKEN, ...META_WEBHOOK_SECRETS },
};

/** Messenger through a Facebook Page: Meta's webhook in, the Send API out. */
export const messengerAdapter: ChannelAdapter<'messenger', typeof messengerConfig> = {
  type: 'messenger',
  config: messengerConfig,
  inbound: { kind: 'webhook', ...metaWebhookVerification, itemsOf: parseMessengerWebhook },
  outbound: {
    kind: 'push',
    maxTextLength: MESSENGER_TEXT_MAX_LENGTH,
    interactiveForms: MESSENGER_INTERACTIVE_FORMS,
    client: (channel, fetchImpl) =>
      new MessengerClient({ ...graphApiSettingsOf(channel), pageAccessToken: channel.secrets.pageAccessToken }, fetchImpl),
  },
};

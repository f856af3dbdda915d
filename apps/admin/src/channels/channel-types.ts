import type { Schemas } from '../api/api-client.js';
import type { paths } from '../api/openapi-schema.js';

/** A channel as `GET /channels` lists it: never its secrets. */
export type Channel = Schemas['ChannelDto'];

/**
 * What `POST /channels` takes, for the channels the console creates: an API channel is set up by
 * its adapter's integrator, through the API.
 */
export type NewChannel = Exclude<paths['/channels']['post']['requestBody']['content']['application/json'], { type: 'api' }>;

export type ChannelType = NewChannel['type'];

/** Each type's name in words, the API channel's too: the console lists it, its integrator creates it. */
const TYPE_LABELS: Record<paths['/channels']['post']['requestBody']['content']['application/json']['type'], string> = {
  webchat: 'Web chat',
  whatsapp: 'WhatsApp',
  messenger: 'Messenger',
  api: 'API',
};

/** The names of a type's settings, as the document has them. */
type ConfigKey<T extends ChannelType> = keyof NonNullable<Extract<NewChannel, { type: T }>['config']> & string;

export interface ConfigField<Key extends string = string> {
  /** The key in `config`, as the server names it (and its errors: `config.<key> …`). */
  key: Key;
  label: string;
  /** Secrets are write-only: typed once into a password field, sealed by the server, never shown again. */
  secret: boolean;
  required: boolean;
  hint: string;
}

/** What WhatsApp and Messenger channels both take: they are Meta's. */
type MetaKey = ConfigKey<'whatsapp'> & ConfigKey<'messenger'>;

const GRAPH_OPTIONAL: ConfigField<MetaKey>[] = [
  { key: 'apiBaseUrl', label: 'Graph API base URL', secret: false, required: false, hint: 'Leave empty for https://graph.facebook.com.' },
  { key: 'apiVersion', label: 'Graph API version', secret: false, required: false, hint: 'Like v21.0; leave empty for v21.0.' },
];

const APP_SECRETS: ConfigField<MetaKey>[] = [
  {
    key: 'appSecret',
    label: 'App secret',
    secret: true,
    required: true,
    hint: "From the Meta app's basic settings: signs every webhook call.",
  },
  {
    key: 'verifyToken',
    label: 'Verify token',
    secret: true,
    required: true,
    hint: 'Any text you choose; type the same in Meta’s webhook settings.',
  },
];

/** What each type of channel asks for: the per-type fields of libs/domain's channel configuration. */
export const CHANNEL_TYPES: { [T in ChannelType]: { fields: ConfigField<ConfigKey<T>>[] } } = {
  webchat: { fields: [] },
  whatsapp: {
    fields: [
      {
        key: 'phoneNumberId',
        label: 'Phone number ID',
        secret: false,
        required: true,
        hint: 'The numeric id of the WhatsApp Business number.',
      },
      {
        key: 'accessToken',
        label: 'Access token',
        secret: true,
        required: true,
        hint: 'A system user token with whatsapp_business_messaging.',
      },
      ...APP_SECRETS,
      ...GRAPH_OPTIONAL,
    ],
  },
  messenger: {
    fields: [
      { key: 'pageId', label: 'Page ID', secret: false, required: true, hint: 'The numeric id of the Facebook Page.' },
      { key: 'pageAccessToken', label: 'Page access token', secret: true, required: true, hint: 'A Page token with pages_messaging.' },
      ...APP_SECRETS,
      ...GRAPH_OPTIONAL,
    ],
  },
};

/** A type this console does not know yet (a newer server's) by its own name. */
export const channelTypeLabel = (type: string): string => TYPE_LABELS[type as keyof typeof TYPE_LABELS] ?? type;

/** Where an API channel's adapter posts the customers' messages (`receiveApiChannelMessage`). */
export const apiInboundUrl = (channel: Channel): string => `${window.location.origin}/channels/${channel.id}/api/messages`;

/** Where Meta delivers a WhatsApp or Messenger channel's messages: pasted into the app's webhook settings. */
export const webhookUrl = (channel: Channel): string => `${window.location.origin}/webhooks/${channel.type}/${channel.id}`;
export const widgetUrl = (channel: Channel): string => `${window.location.origin}/chat/${channel.id}`;
export const embedSnippet = (channel: Channel): string =>
  `<script src="${window.location.origin}/webchat.js" data-channel="${channel.id}" async></script>`;

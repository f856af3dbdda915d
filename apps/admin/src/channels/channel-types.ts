/** A channel as `GET /channels` lists it: never its secrets. */
export interface Channel {
  id: string;
  type: ChannelType;
  name: string;
  workflowId: string | null;
}

export type ChannelType = 'webchat' | 'whatsapp' | 'messenger';

export interface ConfigField {
  /** The key in `config`, as the server names it (and its errors: `config.<key> …`). */
  key: string;
  label: string;
  /** Secrets are write-only: typed once into a password field, sealed by the server, never shown again. */
  secret: boolean;
  required: boolean;
  hint: string;
}

const GRAPH_OPTIONAL: ConfigField[] = [
  { key: 'apiBaseUrl', label: 'Graph API base URL', secret: false, required: false, hint: 'Leave empty for https://graph.facebook.com.' },
  { key: 'apiVersion', label: 'Graph API version', secret: false, required: false, hint: 'Like v21.0; leave empty for v21.0.' },
];

const APP_SECRETS: ConfigField[] = [
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
export const CHANNEL_TYPES: Record<ChannelType, { label: string; fields: ConfigField[] }> = {
  webchat: { label: 'Web chat', fields: [] },
  whatsapp: {
    label: 'WhatsApp',
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
    label: 'Messenger',
    fields: [
      { key: 'pageId', label: 'Page ID', secret: false, required: true, hint: 'The numeric id of the Facebook Page.' },
      { key: 'pageAccessToken', label: 'Page access token', secret: true, required: true, hint: 'A Page token with pages_messaging.' },
      ...APP_SECRETS,
      ...GRAPH_OPTIONAL,
    ],
  },
};

export const channelTypeLabel = (type: string): string => CHANNEL_TYPES[type as ChannelType]?.label ?? type;

/** Where Meta delivers a WhatsApp or Messenger channel's messages: pasted into the app's webhook settings. */
export const webhookUrl = (channel: Channel): string => `${window.location.origin}/webhooks/${channel.type}/${channel.id}`;
export const widgetUrl = (channel: Channel): string => `${window.location.origin}/chat/${channel.id}`;
export const embedSnippet = (channel: Channel): string =>
  `<script src="${window.location.origin}/webchat.js" data-channel="${channel.id}" async></script>`;

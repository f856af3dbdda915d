import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { z } from 'zod';
import { CHANNEL_ADAPTERS, DEFAULT_GRAPH_API_BASE_URL, DEFAULT_GRAPH_API_VERSION, type RegisteredChannelType } from '#channels';
import type { ChannelConfigSchema, JsonSchema } from '#domain';
import { DisplayNameDto } from '../http/display-name.dto.js';

/**
 * The request bodies of `POST /channels` in the OpenAPI document, one per channel type of the
 * service's registry: each type's `config` is generated from the zod schema its adapter declares,
 * the one `validateConfig` checks with, so the document cannot offer a field the server refuses.
 * Secrets are `writeOnly`: sealed when stored, never shown, logged or answered.
 */

type ConfigOf<Type extends RegisteredChannelType> = (typeof CHANNEL_ADAPTERS)[Type]['config'];
type ConfigFieldOf<Type extends RegisteredChannelType> = keyof ConfigOf<Type>['settings'] | keyof ConfigOf<Type>['secrets'];

/** What a channel type is for and what its fields mean, in the document; a type registered without one is documented by its schema alone. */
interface ChannelTypeDocs<Type extends RegisteredChannelType> {
  label: string;
  exampleName: string;
  description: string;
  fields: Record<ConfigFieldOf<Type>, string>;
}

const META_FIELDS = {
  apiBaseUrl: `Where the Graph API is; ${DEFAULT_GRAPH_API_BASE_URL} by default`,
  apiVersion: `The Graph API version; ${DEFAULT_GRAPH_API_VERSION} by default`,
  appSecret: 'The Meta app’s secret: every delivery’s X-Hub-Signature-256 is checked with it',
  verifyToken: 'Chosen by you and entered in the app’s webhook settings: Meta’s handshake must repeat it',
};

const CHANNEL_TYPE_DOCS: { [Type in RegisteredChannelType]?: ChannelTypeDocs<Type> } = {
  webchat: {
    label: 'web chat',
    exampleName: 'Site chat',
    description:
      'The service’s own web chat: a widget posts the visitor’s messages to `/webchat/{channelId}/messages` and reads the replies from ' +
      'the transcript. It takes no config.',
    fields: {},
  },
  whatsapp: {
    label: 'WhatsApp',
    exampleName: 'Support line',
    description:
      'WhatsApp through Meta’s Cloud API: Meta delivers to `/webhooks/whatsapp/{channelId}`, replies go out through the Graph API.',
    fields: {
      phoneNumberId: 'The id of the WhatsApp Business phone number that sends the replies (not the number itself)',
      accessToken: 'A token that may send messages from that number',
      ...META_FIELDS,
    },
  },
  messenger: {
    label: 'Messenger',
    exampleName: 'Shop page',
    description:
      'Messenger through a Facebook Page: Meta delivers to `/webhooks/messenger/{channelId}`, replies go out through the Send API.',
    fields: {
      pageId: 'The Facebook Page’s id',
      pageAccessToken: 'The Page’s access token, which sends the replies',
      ...META_FIELDS,
    },
  },
  api: {
    label: 'API',
    exampleName: 'SMS bridge',
    description:
      'For an adapter outside the service (an SMS or Telegram bridge, an app), which calls `/channels/{channelId}/api/…` with ' +
      '`secret` as its bearer token.',
    fields: {
      secret: 'Chosen by you and shared with the adapter: its bearer token, and the key the callbacks are signed with',
      callbackUrl:
        'Where each message the bot sends is POSTed (an `ApiOutboxMessageDto` without `sentAt`, signed: X-Timestamp and ' +
        'X-Signature-256); without it, the adapter pulls them from the outbox and acknowledges them',
    },
  },
};

const SECRET_DESCRIPTION = 'A secret: sealed when stored, never shown, logged or answered';

interface ObjectSchema extends JsonSchema {
  properties: Record<string, JsonSchema>;
  required?: string[];
}

/** The config's fields as the adapter's zod schema declares them, in OpenAPI 3.0's dialect; secrets write-only. */
const configFieldsOf = ({ settings, secrets }: ChannelConfigSchema, descriptions: Record<string, string> = {}): ObjectSchema => {
  const schema = z.toJSONSchema(z.strictObject({ ...settings, ...secrets }), {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'throw',
  }) as ObjectSchema;
  for (const [name, field] of Object.entries(schema.properties)) {
    const secret = Object.hasOwn(secrets, name);
    const description = [descriptions[name], secret ? SECRET_DESCRIPTION : undefined].filter(Boolean).join('. ');
    schema.properties[name] = { ...field, ...(description ? { description } : {}), ...(secret ? { writeOnly: true } : {}) };
  }
  return schema;
};

/** `whatsapp` → `Whatsapp`: the types' part of the components' names. */
const pascalCase = (type: string): string => type.replace(/(?:^|[-_])(\w)/g, (_match, letter: string) => letter.toUpperCase());

/** A named component for a type's config, so that generated clients get a type of their own for it. */
const configModelOf = (type: string, label: string, fields: ObjectSchema): Type<unknown> => {
  class ChannelConfigOfType {}
  for (const [name, field] of Object.entries(fields.properties)) {
    ApiProperty({ ...field, required: fields.required?.includes(name) ?? false })(ChannelConfigOfType.prototype, name);
  }
  ApiSchema({ name: `${pascalCase(type)}ChannelConfigDto`, description: `The config of a ${label} channel` })(ChannelConfigOfType);
  return ChannelConfigOfType;
};

const bodyModelOf = <Name extends RegisteredChannelType>(type: Name): Type<unknown> => {
  const docs = CHANNEL_TYPE_DOCS[type];
  const label = docs?.label ?? type;
  const fields = configFieldsOf(CHANNEL_ADAPTERS[type].config, docs?.fields);
  const hasFields = Object.keys(fields.properties).length > 0;
  class CreateChannelOfType extends DisplayNameDto {}
  ApiProperty({ example: docs?.exampleName ?? `${label} channel`, description: 'What the console shows it as' })(
    CreateChannelOfType.prototype,
    'name',
  );
  ApiProperty({ enum: [type], description: 'The channel type' })(CreateChannelOfType.prototype, 'type');
  if (hasFields) {
    ApiProperty({ type: configModelOf(type, label, fields), required: (fields.required ?? []).length > 0 })(
      CreateChannelOfType.prototype,
      'config',
    );
  } else {
    ApiPropertyOptional({ type: 'object', properties: {}, additionalProperties: false, description: 'None: omit it, or send {}' })(
      CreateChannelOfType.prototype,
      'config',
    );
  }
  ApiSchema({ name: `Create${pascalCase(type)}ChannelDto`, ...(docs ? { description: docs.description } : {}) })(CreateChannelOfType);
  return CreateChannelOfType;
};

const CHANNEL_TYPE_NAMES = Object.keys(CHANNEL_ADAPTERS) as RegisteredChannelType[];
const BODY_MODELS = new Map(CHANNEL_TYPE_NAMES.map((type) => [type, bodyModelOf(type)]));

/** Every type's body, for `@ApiExtraModels`. */
export const CREATE_CHANNEL_BODY_MODELS = [...BODY_MODELS.values()];

/** `POST /channels`'s body: one of the types' bodies, told apart by `type`. */
export const CREATE_CHANNEL_BODY_SCHEMA = {
  oneOf: CREATE_CHANNEL_BODY_MODELS.map((model) => ({ $ref: getSchemaPath(model) })),
  discriminator: {
    propertyName: 'type',
    mapping: Object.fromEntries([...BODY_MODELS].map(([type, model]) => [type, getSchemaPath(model)])),
  },
};

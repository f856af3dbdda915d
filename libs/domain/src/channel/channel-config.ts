import { ValidationError } from '../errors.js';
import type { ChannelType } from './channel.events.js';

/**
 * A channel's configuration split in two: `settings` may be shown and recorded as they are;
 * `secrets` (access tokens, app secrets, verify tokens) are kept sealed and never shown.
 */
export interface ChannelConfig {
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

interface FieldRule {
  secret: boolean;
  required: boolean;
  pattern?: RegExp;
  describe: string;
}

const GRAPH_ID = { pattern: /^\d{1,32}$/, describe: 'a numeric id' };
const TOKEN = { pattern: /^[\x21-\x7e]{1,4096}$/, describe: 'a token of printable characters without spaces' };
const API_BASE_URL = { pattern: /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, describe: 'an http(s) URL without query' };
const API_VERSION = { pattern: /^v\d{1,3}\.\d{1,3}$/, describe: 'a Graph API version like v21.0' };

const FIELDS: Record<ChannelType, Record<string, FieldRule>> = {
  webchat: {},
  whatsapp: {
    phoneNumberId: { secret: false, required: true, ...GRAPH_ID },
    accessToken: { secret: true, required: true, ...TOKEN },
    appSecret: { secret: true, required: true, ...TOKEN },
    verifyToken: { secret: true, required: true, ...TOKEN },
    apiBaseUrl: { secret: false, required: false, ...API_BASE_URL },
    apiVersion: { secret: false, required: false, ...API_VERSION },
  },
  messenger: {
    pageId: { secret: false, required: true, ...GRAPH_ID },
    pageAccessToken: { secret: true, required: true, ...TOKEN },
    appSecret: { secret: true, required: true, ...TOKEN },
    verifyToken: { secret: true, required: true, ...TOKEN },
    apiBaseUrl: { secret: false, required: false, ...API_BASE_URL },
    apiVersion: { secret: false, required: false, ...API_VERSION },
  },
};

/**
 * Checks a channel's configuration for its type (400 naming the first field in error) and splits
 * it into settings and secrets. Messages never repeat a value: it may be a secret.
 */
export function validateChannelConfig(channelType: ChannelType, config: Record<string, unknown>): ChannelConfig {
  const fields = FIELDS[channelType];
  const [unknownKey] = Object.keys(config).filter((key) => !Object.hasOwn(fields, key));
  if (unknownKey !== undefined) {
    throw new ValidationError(`config.${unknownKey}`, `is not a setting of ${channelType} channels`);
  }
  const checked: ChannelConfig = { settings: {}, secrets: {} };
  for (const [name, rule] of Object.entries(fields)) {
    const value = config[name];
    if (value === undefined) {
      if (rule.required) throw new ValidationError(`config.${name}`, `is required for ${channelType} channels`);
      continue;
    }
    if (typeof value !== 'string') throw new ValidationError(`config.${name}`, 'must be a string');
    if (rule.pattern && !rule.pattern.test(value)) throw new ValidationError(`config.${name}`, `must be ${rule.describe}`);
    (rule.secret ? checked.secrets : checked.settings)[name] = value;
  }
  return checked;
}

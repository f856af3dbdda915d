import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { quotedInput } from '../quoted-input.js';

/**
 * A channel's configuration split in two: `settings` may be shown and recorded as they are;
 * `secrets` (access tokens, app secrets, verify tokens) are kept sealed and never shown.
 */
export interface ChannelConfig {
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

/** One field of a channel's configuration: a string, or for an optional field possibly absent. */
export type ChannelConfigField = z.ZodType<string | undefined>;
export type ChannelConfigFields = Record<string, ChannelConfigField>;

/**
 * The one schema of a channel type's configuration: the fields that may be shown and the fields
 * that are sealed, told apart by where they are declared. Pure (zod only), so the domain checks a
 * configuration without I/O; each channel adapter declares its own and the registry hands it here.
 */
export interface ChannelConfigSchema<
  Settings extends ChannelConfigFields = ChannelConfigFields,
  Secrets extends ChannelConfigFields = ChannelConfigFields,
> {
  readonly settings: Settings;
  readonly secrets: Secrets;
}

/** The checked values of a schema's fields, by name. */
export type ConfigValues<Fields extends ChannelConfigFields> = { [Name in keyof Fields]: z.output<Fields[Name]> };

/** A string field matching `pattern`; `describe` completes "must be …" and never quotes the value. */
export const channelConfigField = (pattern: RegExp, describe: string) => z.string().regex(pattern, `must be ${describe}`);

/** Whether `value`, parsed as a URL, names a user or a password; one that does not parse carries none. */
const carriesCredentials = (value: string): boolean => {
  try {
    const { username, password } = new URL(value);
    return username !== '' || password !== '';
  } catch {
    return false;
  }
};

/**
 * An address the service sends requests to, shaped by `pattern` (http or https, what may follow)
 * and one the WHATWG URL parser takes: a host with a control character or a port past 65535 would
 * be stored and then fail every delivery.
 */
export const httpUrlField = (pattern: RegExp, describe: string) =>
  channelConfigField(pattern, describe)
    .max(2048, 'must be at most 2048 characters')
    .refine((value) => URL.canParse(value), `must be ${describe}`)
    // Settings are shown and recorded as they are: credentials belong in the sealed secrets.
    .refine((value) => !carriesCredentials(value), {
      message: 'must not carry a user name or password: settings are shown and recorded as they are',
    });

const messageOf = (channelType: string, config: Record<string, unknown>, issue: z.core.$ZodIssue): [string, string] => {
  if (issue.code === 'unrecognized_keys') return [`config.${quotedInput(issue.keys[0])}`, `is not a setting of ${channelType} channels`];
  const name = String(issue.path[0]);
  if (issue.code === 'invalid_type') {
    return [`config.${name}`, config[name] === undefined ? `is required for ${channelType} channels` : 'must be a string'];
  }
  return [`config.${name}`, issue.message];
};

/**
 * Checks a channel's configuration against its type's schema (400 naming the first field in
 * error) and splits it into settings and secrets. Messages never repeat a value: it may be a secret.
 */
export function validateChannelConfig(channelType: string, schema: ChannelConfigSchema, config: Record<string, unknown>): ChannelConfig {
  const parsed = z.strictObject({ ...schema.settings, ...schema.secrets }).safeParse(config);
  if (!parsed.success) {
    // An unknown key is named first, as a likely typo of the field that is then missing.
    const { issues } = parsed.error;
    const [field, problem] = messageOf(channelType, config, issues.find(({ code }) => code === 'unrecognized_keys') ?? issues[0]);
    throw new ValidationError(field, problem);
  }
  const checked: ChannelConfig = { settings: {}, secrets: {} };
  for (const [name, value] of Object.entries(parsed.data)) {
    if (typeof value !== 'string') continue;
    (Object.hasOwn(schema.secrets, name) ? checked.secrets : checked.settings)[name] = value;
  }
  return checked;
}

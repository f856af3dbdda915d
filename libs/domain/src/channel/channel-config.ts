import { ValidationError } from '../errors.js';
import type { ChannelType } from './channel.events.js';

/**
 * A channel's settings, checked per type. Web chat needs none; the Meta channels are not
 * available yet and are refused rather than accepted half-configured.
 */
export function validateChannelConfig(channelType: ChannelType, config: Record<string, unknown>): Record<string, unknown> {
  if (channelType !== 'webchat') {
    throw new ValidationError('type', `${channelType} channels are not available yet; use webchat`);
  }
  const [unknownKey] = Object.keys(config);
  if (unknownKey !== undefined) {
    throw new ValidationError(`config.${unknownKey}`, 'is not a setting of webchat channels');
  }
  return {};
}

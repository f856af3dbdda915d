import { DEFAULT_MAX_OPEN_SESSIONS_PER_CHANNEL, type SessionCaps } from '#engine';
import { ConfigError } from './config-error.js';

/**
 * MAX_OPEN_SESSIONS_PER_CHANNEL: how many sessions one channel may have open at once (default
 * 10,000); a contact's message beyond it is recorded, refused a session, and not answered.
 */
export const sessionCapsConfig = (env: NodeJS.ProcessEnv): SessionCaps => {
  const value = env.MAX_OPEN_SESSIONS_PER_CHANNEL;
  if (value === undefined || value.trim() === '') return { maxOpenSessionsPerChannel: DEFAULT_MAX_OPEN_SESSIONS_PER_CHANNEL };
  const cap = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || cap <= 0 || !Number.isSafeInteger(cap)) {
    throw new ConfigError(`MAX_OPEN_SESSIONS_PER_CHANNEL must be a positive whole number of sessions; got "${value}"`);
  }
  return { maxOpenSessionsPerChannel: cap };
};

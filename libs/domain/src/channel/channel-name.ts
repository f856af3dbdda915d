import { normalizeDisplayName } from '../display-name.js';

/** As long as a workflow's name: the console shows both in the same lists. */
export const MAX_CHANNEL_NAME_LENGTH = 120;

/** A channel's name as stored: required, trimmed, at most 120 characters (counted as code points). */
export const normalizeChannelName = (name: unknown): string => normalizeDisplayName(name, MAX_CHANNEL_NAME_LENGTH);

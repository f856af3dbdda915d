import { ConfigError } from './config-error.js';

/** How log lines are written: `pretty` for a person at a terminal, `json` (one object a line) for a log collector. */
export type LogFormat = 'pretty' | 'json';

/** LOG_FORMAT forces one format; unset, the server writes pretty lines to a terminal and JSON anywhere else. */
export const logFormat = (value: string | undefined): LogFormat | undefined => {
  const format = value?.trim();
  if (!format) return undefined;
  if (format === 'pretty' || format === 'json') return format;
  throw new ConfigError(`LOG_FORMAT must be pretty or json; got "${value}"`);
};

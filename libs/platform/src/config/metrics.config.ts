import { ConfigError } from './config-error.js';

const MIN_METRICS_TOKEN_LENGTH = 16;
/** What a bearer token in an Authorization header can hold: printable ASCII, no spaces. */
const HEADER_TOKEN = /^[\x21-\x7e]+$/;

/**
 * METRICS_TOKEN: the bearer token `GET /metrics` requires; unset or empty, `/metrics` is open.
 * Messages about a wrong value never contain it: it is a secret.
 */
export const metricsToken = (value: string | undefined): string | undefined => {
  const token = value?.trim();
  if (!token) return undefined;
  if (!HEADER_TOKEN.test(token)) {
    throw new ConfigError('METRICS_TOKEN must be printable ASCII without spaces: it is sent as a bearer token in an Authorization header');
  }
  if (token.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new ConfigError(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters long`);
  }
  return token;
};

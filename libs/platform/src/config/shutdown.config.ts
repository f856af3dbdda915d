import { ConfigError } from './config-error.js';

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** SHUTDOWN_TIMEOUT_MS: how long a SIGTERM or SIGINT may take before the process exits anyway. */
export const shutdownTimeoutMs = (value: string | undefined): number => {
  if (value === undefined || value.trim() === '') return DEFAULT_SHUTDOWN_TIMEOUT_MS;
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) {
    throw new ConfigError(`SHUTDOWN_TIMEOUT_MS must be a positive whole number of milliseconds; got "${value}"`);
  }
  return Number(value);
};

import { resolveGeneratedSecret } from '#platform';

/**
 * The key that seals channel secrets in the log; without CHANNEL_SECRETS_KEY, one generated into
 * DATA_DIR. Losing it makes the channels' secrets unreadable: back it up with the data.
 */
export const resolveChannelSecretsKey = (configured: string | undefined, dataDir: string): string =>
  resolveGeneratedSecret(configured, dataDir, 'channel-secrets-key').secret;

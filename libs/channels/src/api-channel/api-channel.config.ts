import { channelConfigField, httpUrlField } from '#domain';

/** The type name of API channels, in `POST /channels` and in their events. */
export const API_CHANNEL_TYPE = 'api';

/**
 * `secret`: chosen by the admin and shared with the outside adapter, which sends it as a bearer
 * token and checks the callbacks' signatures with it; sealed like every channel secret.
 * `callbackUrl`: where each message is POSTed; without one, the adapter pulls them.
 */
export const apiChannelConfig = {
  settings: {
    callbackUrl: httpUrlField(/^https?:\/\/[^\s/?#]+(\/[^\s#]*)?$/, 'an http(s) URL without fragment').optional(),
  },
  secrets: {
    // The bound apart from the pattern, so that a secret too long is told so, not that it is too short.
    secret: channelConfigField(/^[\x21-\x7e]{32,}$/, 'at least 32 printable characters without spaces').max(
      4096,
      'must be at most 4096 characters',
    ),
  },
};

/** An API channel without a callbackUrl is pulled from: nothing is pushed to it, its adapter asks the outbox. */
export const isPulledFrom = (settings: { callbackUrl?: unknown }): boolean => settings.callbackUrl === undefined;

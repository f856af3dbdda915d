import type { ChannelAccess } from './channel-adapter.port.js';
import type { SecretBox } from './secrets/secret-box.js';

/** A channel as its stream records it: settings as they are, secrets sealed. */
export interface StoredChannel {
  channelId: string;
  config: Record<string, unknown>;
  sealedSecrets: string | undefined;
}

/** A stored channel as its adapter sees it, its secrets opened. Its settings and secrets were checked by the adapter's schema when it was created. */
export const openChannel = ({ channelId, config, sealedSecrets }: StoredChannel, box: SecretBox): ChannelAccess => ({
  channelId,
  settings: config as ChannelAccess['settings'],
  secrets: sealedSecrets === undefined ? {} : box.open(sealedSecrets),
});

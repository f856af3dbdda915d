import { type ChannelConfig, ValidationError, validateChannelConfig } from '#domain';
import { apiChannelAdapter } from './api-channel/api-channel.adapter.js';
import type { ChannelAccess, ChannelAdapter } from './channel-adapter.port.js';
import { messengerAdapter } from './messenger/messenger.adapter.js';
import { webchatAdapter } from './webchat/webchat.adapter.js';
import { whatsAppAdapter } from './whatsapp/whatsapp.adapter.js';

/**
 * Every channel type of the service, one line each: adding a channel type is its folder and its
 * line here. Each adapter implements the whole port, so a type that does not say how it is
 * configured, verified, read and delivered to does not compile.
 */
export const CHANNEL_ADAPTERS = {
  webchat: webchatAdapter,
  whatsapp: whatsAppAdapter,
  messenger: messengerAdapter,
  api: apiChannelAdapter,
} satisfies Record<string, ChannelAdapter>;

/** The registered channel types' names. */
export type RegisteredChannelType = keyof typeof CHANNEL_ADAPTERS;

/** A channel type that no adapter is registered for: a stored channel of a type since removed, or a bug. */
export class UnknownChannelTypeError extends Error {
  constructor(readonly channelType: string) {
    super(`No channel adapter is registered for channel type "${channelType}"`);
    this.name = 'UnknownChannelTypeError';
  }
}

/** The adapters the service runs with, by type name; the one lookup every channel-type dependent place goes through. */
export class ChannelRegistry {
  private readonly adapters: ReadonlyMap<string, ChannelAdapter>;

  constructor(adapters: Record<string, ChannelAdapter>) {
    for (const [type, adapter] of Object.entries(adapters)) {
      if (adapter.type !== type) throw new Error(`The channel adapter registered as "${type}" calls itself "${adapter.type}"`);
    }
    this.adapters = new Map(Object.entries(adapters));
  }

  /** These adapters and `more` (tests register throwaway types this way; production has one registry). */
  with(...more: ChannelAdapter[]): ChannelRegistry {
    return new ChannelRegistry({
      ...Object.fromEntries(this.adapters),
      ...Object.fromEntries(more.map((adapter) => [adapter.type, adapter])),
    });
  }

  get types(): string[] {
    return [...this.adapters.keys()];
  }

  /** The adapter of a type named from outside (a URL): undefined when there is none. */
  find(channelType: string): ChannelAdapter | undefined {
    return this.adapters.get(channelType);
  }

  /** The adapter of a type the service recorded: one not registered is an error, never skipped. */
  adapterFor(channelType: string): ChannelAdapter {
    const adapter = this.adapters.get(channelType);
    if (adapter === undefined) throw new UnknownChannelTypeError(channelType);
    return adapter;
  }

  /** The types whose channels the engine may push to (whether one is pushed to can depend on its settings: `pushesTo`). */
  get pushedTypes(): string[] {
    return [...this.adapters.values()].filter(({ outbound }) => outbound.kind === 'push').map(({ type }) => type);
  }

  /** Whether the engine pushes the messages of a channel of this type with these settings (a type not registered throws). */
  pushesTo(channelType: string, settings: Record<string, unknown>): boolean {
    const { outbound } = this.adapterFor(channelType);
    // Stored settings were checked by this adapter's schema when the channel was created.
    return outbound.kind === 'push' && (outbound.pushes?.(settings as ChannelAccess['settings']) ?? true);
  }

  /** `type` and `config` of a channel to create, checked: 400 naming the field, with the secrets split off. */
  validateConfig(channelType: string, config: Record<string, unknown>): ChannelConfig {
    const adapter = this.find(channelType);
    if (adapter === undefined) throw new ValidationError('type', `must be one of ${this.types.join(', ')}`);
    return validateChannelConfig(channelType, adapter.config, config);
  }
}

/** The service's registry. */
export const channelRegistry = new ChannelRegistry(CHANNEL_ADAPTERS);

/** The Nest token of the ChannelRegistry a server runs with. */
export const CHANNEL_REGISTRY = Symbol('CHANNEL_REGISTRY');

import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CHANNEL_FETCH, CHANNEL_REGISTRY, type ChannelPrivateAddresses, type ChannelRegistry, channelFetch } from '#channels';

/**
 * The channel types the server runs with, for every module that depends on a channel's type, and
 * how their clients reach what a channel's settings point at.
 */
@Global()
@Module({})
export class ChannelRegistryModule {
  static forRegistry(registry: ChannelRegistry, privateAddresses: ChannelPrivateAddresses): DynamicModule {
    return {
      module: ChannelRegistryModule,
      providers: [
        { provide: CHANNEL_REGISTRY, useValue: registry },
        { provide: CHANNEL_FETCH, useValue: channelFetch(privateAddresses) },
      ],
      exports: [CHANNEL_REGISTRY, CHANNEL_FETCH],
    };
  }
}

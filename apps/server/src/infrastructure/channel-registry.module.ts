import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CHANNEL_REGISTRY, type ChannelRegistry } from '#channels';

/** The channel types the server runs with, for every module that depends on a channel's type. */
@Global()
@Module({})
export class ChannelRegistryModule {
  static forRegistry(registry: ChannelRegistry): DynamicModule {
    return { module: ChannelRegistryModule, providers: [{ provide: CHANNEL_REGISTRY, useValue: registry }], exports: [CHANNEL_REGISTRY] };
  }
}

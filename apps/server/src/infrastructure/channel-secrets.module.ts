import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CHANNEL_SECRETS, type SecretBox } from '#channels';

/** The key that seals and opens channel secrets, for every module that handles channels. */
@Global()
@Module({})
export class ChannelSecretsModule {
  static forBox(box: SecretBox): DynamicModule {
    return { module: ChannelSecretsModule, providers: [{ provide: CHANNEL_SECRETS, useValue: box }], exports: [CHANNEL_SECRETS] };
  }
}

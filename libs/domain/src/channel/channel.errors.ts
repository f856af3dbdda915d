import { DomainError } from '../errors.js';

export class ChannelNotFoundError extends DomainError {
  readonly kind = 'not_found';

  constructor(readonly channelId: string) {
    super(`Channel ${channelId} not found`);
  }
}

export class ChannelAlreadyExistsError extends DomainError {
  readonly kind = 'conflict';

  constructor(readonly channelId: string) {
    super(`Channel ${channelId} already exists`);
  }
}

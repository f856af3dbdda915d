import { DomainError } from '../errors.js';

export class ChannelNotFoundError extends DomainError {
  readonly kind = 'not_found';

  constructor(readonly channelId: string) {
    super(`Channel ${channelId} not found`);
  }
}

/** A Try it preview runs its own workflow only, so that its name never lies about what it runs. */
export class ChannelIsPreviewError extends DomainError {
  readonly kind = 'conflict';

  constructor(
    readonly channelId: string,
    readonly workflowId: string,
  ) {
    super(`Channel ${channelId} is the Try it preview of workflow ${workflowId}: it runs that workflow only`);
  }
}

export class ChannelAlreadyExistsError extends DomainError {
  readonly kind = 'conflict';

  constructor(readonly channelId: string) {
    super(`Channel ${channelId} already exists`);
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#engine';

/** Records the request; the session engine ends the sessions active at its position. */
export class DeactivateWorkflowSessionsCommand extends Command<{ position: string }> {
  constructor(
    readonly workflowId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

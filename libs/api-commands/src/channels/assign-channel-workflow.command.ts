import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#engine';

/** `workflowId` undefined takes the channel's workflow off: no automated flow any more. */
export class AssignChannelWorkflowCommand extends Command<{ position: string }> {
  constructor(
    readonly channelId: string,
    readonly workflowId: string | undefined,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#engine';
import type { WorkflowCommandResult } from './workflow-command-result.js';

export class DeleteWorkflowCommand extends Command<WorkflowCommandResult> {
  constructor(
    readonly workflowId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#engine';
import type { WorkflowCommandResult } from './workflow-command-result.js';

export class CreateWorkflowCommand extends Command<WorkflowCommandResult> {
  constructor(
    readonly workflowId: string,
    readonly name: unknown,
    readonly context: CommandContext,
  ) {
    super();
  }
}

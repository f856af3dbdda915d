import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#engine';
import type { WorkflowCommandResult } from './workflow-command-result.js';

export class PublishWorkflowDefinitionCommand extends Command<WorkflowCommandResult> {
  constructor(
    readonly workflowId: string,
    readonly steps: unknown,
    readonly settings: unknown,
    readonly expectedVersion: number | undefined,
    readonly context: CommandContext,
  ) {
    super();
  }
}

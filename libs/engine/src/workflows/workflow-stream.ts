import { type WorkflowCommand, type WorkflowState, workflowDecider, workflowStreamName } from '#domain';
import type { EventStore } from '#eventstore';
import type { CommandContext } from '../command-handling/command-context.js';
import {
  type CommandHandlingOptions,
  type CommandOutcome,
  handleEventSourcedCommand,
  loadStream,
} from '../command-handling/event-sourced-command.js';

/** What every workflow command answers: the workflow as it now stands and the log position. */
export interface WorkflowCommandResult {
  id: string;
  name: string;
  version: number;
  position: string;
}

/** Runs one workflow command through the pure decider against the workflow's own stream. */
export const handleWorkflowCommand = (
  store: EventStore,
  command: WorkflowCommand,
  context: CommandContext,
  options: CommandHandlingOptions,
): Promise<CommandOutcome<WorkflowState>> =>
  handleEventSourcedCommand(
    store,
    workflowStreamName(command.data.workflowId),
    workflowDecider,
    (state) => workflowDecider.decide(command, state),
    context,
    options,
  );

export const toWorkflowCommandResult = (outcome: CommandOutcome<WorkflowState>): WorkflowCommandResult => {
  const { state, position } = outcome;
  if (state.status === 'initial' || position === undefined) {
    // The decider refuses commands on workflows that do not exist, so this cannot be reached.
    throw new Error('A workflow command finished without a workflow');
  }
  return { id: state.workflowId, name: state.name, version: state.version, position };
};

export const loadWorkflow = async (store: EventStore, workflowId: string): Promise<WorkflowState> =>
  (await loadStream(store, workflowStreamName(workflowId), workflowDecider)).state;

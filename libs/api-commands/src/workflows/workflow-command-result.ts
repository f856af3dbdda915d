import type { WorkflowState } from '#domain';
import type { CommandOutcome } from '#engine';

/** What every workflow command answers: the workflow as it now stands and the log position. */
export interface WorkflowCommandResult {
  id: string;
  name: string;
  version: number;
  position: string;
}

export const toWorkflowCommandResult = (outcome: CommandOutcome<WorkflowState>): WorkflowCommandResult => {
  const { state, position } = outcome;
  if (state.status === 'initial' || position === undefined) {
    // The decider refuses commands on workflows that do not exist, so this cannot be reached.
    throw new Error('A workflow command finished without a workflow');
  }
  return { id: state.workflowId, name: state.name, version: state.version, position };
};

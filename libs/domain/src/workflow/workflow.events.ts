import type { StepDefinition, WorkflowSettings } from './step.schema.js';

/** The flow a workflow runs: published as a whole, one version at a time. */
export interface WorkflowDefinition {
  steps: StepDefinition[];
  settings: WorkflowSettings;
}

export interface WorkflowCreated {
  type: 'WorkflowCreated';
  data: { workflowId: string; workspace: string; name: string; version: number };
}

export interface WorkflowCopied {
  type: 'WorkflowCopied';
  data: {
    workflowId: string;
    workspace: string;
    name: string;
    version: number;
    sourceWorkflowId: string;
    sourceVersion: number;
    steps: StepDefinition[];
    settings: WorkflowSettings;
  };
}

export interface WorkflowRenamed {
  type: 'WorkflowRenamed';
  data: { workflowId: string; name: string; previousName: string };
}

export interface WorkflowDefinitionPublished {
  type: 'WorkflowDefinitionPublished';
  data: { workflowId: string; version: number; steps: StepDefinition[]; settings: WorkflowSettings };
}

export interface WorkflowDeleted {
  type: 'WorkflowDeleted';
  data: { workflowId: string; name: string };
}

/**
 * An admin asked to end every session of the workflow that is active at this event's position;
 * the session engine ends them. The workflow itself does not change.
 */
export interface WorkflowSessionsDeactivationRequested {
  type: 'WorkflowSessionsDeactivationRequested';
  data: { workflowId: string };
}

export type WorkflowEvent =
  | WorkflowCreated
  | WorkflowCopied
  | WorkflowRenamed
  | WorkflowDefinitionPublished
  | WorkflowDeleted
  | WorkflowSessionsDeactivationRequested;

export const workflowStreamName = (workflowId: string): string => `workflow-${workflowId}`;

import { describe, it } from '@jest/globals';
import { DomainError, WorkflowNotFoundError } from '../errors.js';
import { foldWorkflow } from '../workflow/workflow.decider.js';
import type { WorkflowEvent } from '../workflow/workflow.events.js';
import { DeciderSpecification } from '../testing/decider-specification.fixture.js';
import { type ChannelCommand, channelDecider } from './channel.decider.js';
import { ChannelAlreadyExistsError, ChannelIsPreviewError, ChannelNotFoundError } from './channel.errors.js';
import type { ChannelEvent } from './channel.events.js';

const { given } = DeciderSpecification.for(channelDecider);

const created: ChannelEvent = {
  type: 'ChannelCreated',
  data: { channelId: 'ch-1', workspace: 'acme', channelType: 'webchat', name: 'Site chat', config: {} },
};
const workflow = (workspace: string, ...more: WorkflowEvent[]) =>
  foldWorkflow([{ type: 'WorkflowCreated', data: { workflowId: 'wf-1', workspace, name: 'Welcome', version: 1 } }, ...more]);
const assign = (workspace = 'acme', state = workflow('acme')): ChannelCommand => ({
  type: 'AssignWorkflow',
  data: { channelId: 'ch-1', workspace, workflowId: 'wf-1', workflow: state },
});
const assigned: ChannelEvent = { type: 'ChannelWorkflowAssigned', data: { channelId: 'ch-1', workflowId: 'wf-1' } };

describe('channel decider', () => {
  it('creates a channel with a trimmed name', () => {
    given([])
      .when({ type: 'CreateChannel', data: { ...created.data, name: '  Site chat ' } })
      .then([created]);
  });

  it('refuses to create a channel twice, and an empty name', () => {
    given([created])
      .when({ type: 'CreateChannel', data: { ...created.data } })
      .thenThrows(ChannelAlreadyExistsError);
    given([])
      .when({ type: 'CreateChannel', data: { ...created.data, name: ' ' } })
      .thenThrows(DomainError);
  });

  it('assigns a live workflow of its workspace, once', () => {
    given([created]).when(assign()).then([assigned]);
    given([created, assigned]).when(assign()).then([]);
  });

  it('remembers the workflow it replaces', () => {
    const other: ChannelEvent = { type: 'ChannelWorkflowAssigned', data: { channelId: 'ch-1', workflowId: 'wf-0' } };
    given([created, other])
      .when(assign())
      .then([{ type: 'ChannelWorkflowAssigned', data: { channelId: 'ch-1', workflowId: 'wf-1', previousWorkflowId: 'wf-0' } }]);
  });

  it('refuses unknown, deleted or foreign workflows as not found', () => {
    given([created])
      .when(assign('acme', foldWorkflow([])))
      .thenThrows(WorkflowNotFoundError);
    const deleted = workflow('acme', { type: 'WorkflowDeleted', data: { workflowId: 'wf-1', name: 'Welcome' } });
    given([created]).when(assign('acme', deleted)).thenThrows(WorkflowNotFoundError);
    given([created])
      .when(assign('acme', workflow('globex')))
      .thenThrows(WorkflowNotFoundError);
  });

  it("hides another workspace's channel", () => {
    given([created])
      .when(assign('globex', workflow('globex')))
      .thenThrows(ChannelNotFoundError);
    given([]).when(assign()).thenThrows(ChannelNotFoundError);
    given([created])
      .when({ type: 'UnassignWorkflow', data: { channelId: 'ch-1', workspace: 'globex' } })
      .thenThrows(ChannelNotFoundError);
  });

  it('unassigns the workflow, and does nothing when none is assigned', () => {
    given([created, assigned])
      .when({ type: 'UnassignWorkflow', data: { channelId: 'ch-1', workspace: 'acme' } })
      .then([{ type: 'ChannelWorkflowUnassigned', data: { channelId: 'ch-1', workflowId: 'wf-1', reason: 'unassigned' } }]);
    given([created])
      .when({ type: 'UnassignWorkflow', data: { channelId: 'ch-1', workspace: 'acme' } })
      .then([]);
  });

  it('takes a deleted workflow off the channel only if it is still the assigned one', () => {
    const command: ChannelCommand = { type: 'UnassignDeletedWorkflow', data: { channelId: 'ch-1', workflowId: 'wf-1' } };
    given([created, assigned])
      .when(command)
      .then([{ type: 'ChannelWorkflowUnassigned', data: { channelId: 'ch-1', workflowId: 'wf-1', reason: 'workflow_deleted' } }]);
    given([created]).when(command).then([]);
    given([created, { type: 'ChannelWorkflowAssigned', data: { channelId: 'ch-1', workflowId: 'wf-2' } }])
      .when(command)
      .then([]);
  });

  it('renames a channel of its workspace, trimmed, once; keeps the name it had for the audit', () => {
    const rename = (name: unknown, workspace = 'acme'): ChannelCommand => ({
      type: 'RenameChannel',
      data: { channelId: 'ch-1', workspace, name },
    });
    const renamed: ChannelEvent = {
      type: 'ChannelRenamed',
      data: { channelId: 'ch-1', name: 'Try it: Welcome', previousName: 'Site chat' },
    };
    given([created]).when(rename(' Try it: Welcome ')).then([renamed]);
    given([created, renamed]).when(rename('Try it: Welcome')).then([]);
    given([created]).when(rename(' ')).thenThrows(DomainError);
    given([created]).when(rename('Anything', 'globex')).thenThrows(ChannelNotFoundError);
    given([]).when(rename('Anything')).thenThrows(ChannelNotFoundError);
  });

  describe("a workflow's Try it preview", () => {
    const preview: ChannelEvent = { type: 'ChannelCreated', data: { ...created.data, name: 'Try it: Welcome', previewOf: 'wf-1' } };
    const other = workflow('acme');
    const assignOther: ChannelCommand = {
      type: 'AssignWorkflow',
      data: { channelId: 'ch-1', workspace: 'acme', workflowId: 'wf-2', workflow: other },
    };

    it('is created as the preview of its workflow', () => {
      given([])
        .when({ type: 'CreateChannel', data: { ...created.data, name: 'Try it: Welcome', previewOf: 'wf-1' } })
        .then([preview]);
    });

    it('runs its workflow, and no other', () => {
      given([preview]).when(assign()).then([assigned]);
      given([preview, assigned]).when(assignOther).thenThrows(ChannelIsPreviewError);
      given([preview]).when(assignOther).thenThrows(ChannelIsPreviewError);
    });

    it('is not unassigned by an admin, but loses a deleted workflow like any channel', () => {
      given([preview, assigned])
        .when({ type: 'UnassignWorkflow', data: { channelId: 'ch-1', workspace: 'acme' } })
        .thenThrows(ChannelIsPreviewError);
      given([preview, assigned])
        .when({ type: 'UnassignDeletedWorkflow', data: { channelId: 'ch-1', workflowId: 'wf-1' } })
        .then([{ type: 'ChannelWorkflowUnassigned', data: { channelId: 'ch-1', workflowId: 'wf-1', reason: 'workflow_deleted' } }]);
    });
  });
});

import { describe, expect, it } from '@jest/globals';
import type { StepDefinition } from './step.schema.js';
import { foldWorkflow } from './workflow.decider.js';
import type { WorkflowCopied, WorkflowEvent } from './workflow.events.js';
import { describeWorkflowEvent, historyLengthAtVersion, isWorkflowEvent } from './workflow-history.js';

// ---- Fixtures ----

const workflowId = 'wf-1';
const workspace = 'acme';
const step = (id: string): StepDefinition => ({ id, type: 'send_message', text: `Text of ${id}` });
const stepsNamed = (...ids: string[]): StepDefinition[] => ids.map(step);

const created: WorkflowEvent = { type: 'WorkflowCreated', data: { workflowId, workspace, name: 'Welcome', version: 1 } };
const renamed = (previousName: string, name: string): WorkflowEvent => ({
  type: 'WorkflowRenamed',
  data: { workflowId, name, previousName },
});
const published = (version: number, steps: StepDefinition[]): WorkflowEvent => ({
  type: 'WorkflowDefinitionPublished',
  data: { workflowId, version, steps, settings: {} },
});
const copied: WorkflowCopied = {
  type: 'WorkflowCopied',
  data: {
    workflowId: 'wf-2',
    workspace,
    name: 'Welcome (EU)',
    version: 1,
    sourceWorkflowId: workflowId,
    sourceVersion: 2,
    steps: stepsNamed('a'),
    settings: {},
  },
};
const deactivationRequested: WorkflowEvent = { type: 'WorkflowSessionsDeactivationRequested', data: { workflowId } };
const deleted = (name: string): WorkflowEvent => ({ type: 'WorkflowDeleted', data: { workflowId, name } });

// ---- Given / When / Then ----

/** Given a stream, when asked for version N, then the workflow folded from the chosen prefix. */
const givenStream = (events: WorkflowEvent[]) => ({
  whenAskedForVersion: (version: number) => {
    const length = historyLengthAtVersion(events, version);
    return {
      thenNoSuchVersion: () => expect(length).toBeUndefined(),
      thenTheWorkflowWas: (expected: object) => {
        expect(length).toBeDefined();
        expect(foldWorkflow(events.slice(0, length))).toEqual(expected);
      },
      thenItEndsBefore: (event: WorkflowEvent) => expect(events[length ?? -1]).toBe(event),
    };
  },
});

describe('describeWorkflowEvent', () => {
  it.each<[string, WorkflowEvent, string]>([
    ['a creation', created, 'Created "Welcome"'],
    ['a rename', renamed('Welcome', 'Greeting'), 'Renamed from "Welcome" to "Greeting"'],
    ['a publish of several steps', published(3, stepsNamed('a', 'b', 'c', 'd')), 'Published version 3 (4 steps)'],
    ['a publish of one step', published(2, stepsNamed('a')), 'Published version 2 (1 step)'],
    ['a publish of no step', published(2, []), 'Published version 2 (0 steps)'],
    ['a copy', copied, `Copied from workflow ${workflowId} version 2 as "Welcome (EU)"`],
    ['a deletion', deleted('Greeting'), 'Deleted "Greeting"'],
    ['a deactivation request', deactivationRequested, 'Asked to deactivate every active session'],
  ])('given %s, tells what happened', (_case, event, summary) => {
    expect(describeWorkflowEvent(event)).toBe(summary);
  });

  it('quotes names so that a quote inside one cannot be mistaken for its end', () => {
    expect(describeWorkflowEvent(renamed('Say "hi"', 'Hello'))).toBe('Renamed from "Say \\"hi\\"" to "Hello"');
  });
});

describe('isWorkflowEvent', () => {
  it('knows the workflow event types and nothing else', () => {
    expect(isWorkflowEvent(created)).toBe(true);
    expect(isWorkflowEvent(deactivationRequested)).toBe(true);
    expect(isWorkflowEvent({ type: 'SessionStarted', data: {} })).toBe(false);
    expect(isWorkflowEvent({ type: 'toString', data: {} })).toBe(false);
  });
});

describe('historyLengthAtVersion', () => {
  const v2Steps = stepsNamed('a');
  const v3Steps = stepsNamed('a', 'b');
  const v2 = published(2, v2Steps);
  const v3 = published(3, v3Steps);
  const rename = renamed('Welcome', 'Greeting');
  const deletion = deleted('Greeting');
  const history = [created, v2, rename, deactivationRequested, v3, deletion];

  it('version 1 is the new workflow under its first name, without steps', () => {
    givenStream(history)
      .whenAskedForVersion(1)
      .thenTheWorkflowWas({ status: 'active', workflowId, workspace, name: 'Welcome', version: 1, steps: [], settings: {} });
    givenStream(history).whenAskedForVersion(1).thenItEndsBefore(v2);
  });

  it('a later version keeps what happened while it was current, such as a rename', () => {
    givenStream(history)
      .whenAskedForVersion(2)
      .thenTheWorkflowWas({ status: 'active', workflowId, workspace, name: 'Greeting', version: 2, steps: v2Steps, settings: {} });
    givenStream(history).whenAskedForVersion(2).thenItEndsBefore(v3);
  });

  it('the last version of a deleted workflow is shown as it was before the deletion', () => {
    givenStream(history)
      .whenAskedForVersion(3)
      .thenTheWorkflowWas({ status: 'active', workflowId, workspace, name: 'Greeting', version: 3, steps: v3Steps, settings: {} });
    givenStream(history).whenAskedForVersion(3).thenItEndsBefore(deletion);
  });

  it('the last version of a live workflow takes every event', () => {
    expect(historyLengthAtVersion([created, rename], 1)).toBe(2);
  });

  it('a copy starts at version 1 with the steps it copied', () => {
    givenStream([copied]).whenAskedForVersion(1).thenTheWorkflowWas({
      status: 'active',
      workflowId: 'wf-2',
      workspace,
      name: 'Welcome (EU)',
      version: 1,
      steps: copied.data.steps,
      settings: {},
    });
  });

  it.each([0, 4, 1.5])('knows no version %p', (version) => {
    givenStream(history).whenAskedForVersion(version).thenNoSuchVersion();
  });

  it('knows no version of an empty stream, nor of one deleted before its version existed', () => {
    givenStream([]).whenAskedForVersion(1).thenNoSuchVersion();
    givenStream([created, deleted('Welcome')])
      .whenAskedForVersion(2)
      .thenNoSuchVersion();
  });
});

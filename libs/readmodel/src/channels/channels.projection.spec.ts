import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ChannelEvent } from '#domain';
import { applyEvents, recordedEvent } from '../projection.fixture.js';
import type { ReadModelStore } from '../read-model-store.port.js';
import { openTemporarySqliteReadModelStore } from '../sqlite/sqlite-read-model-store.fixture.js';
import { CHANNELS_COLLECTION, type ChannelDocument, channelsProjection } from './channels.projection.js';

const created: ChannelEvent = {
  type: 'ChannelCreated',
  data: { channelId: 'ch-1', workspace: 'acme', channelType: 'webchat', name: 'Site chat', config: {} },
};
const assigned = (workflowId: string): ChannelEvent => ({ type: 'ChannelWorkflowAssigned', data: { channelId: 'ch-1', workflowId } });
const unassigned = (workflowId: string): ChannelEvent => ({
  type: 'ChannelWorkflowUnassigned',
  data: { channelId: 'ch-1', workflowId, reason: 'workflow_deleted' },
});

describe('channels projection', () => {
  let store: ReadModelStore;
  let dispose: () => Promise<void>;
  beforeEach(async () => ({ store, dispose } = await openTemporarySqliteReadModelStore()));
  afterEach(() => dispose());

  const project = (...events: ChannelEvent[]) =>
    applyEvents(
      store,
      channelsProjection,
      events.map((event) => recordedEvent(event, 'acme')),
    );
  const channel = () => store.get<ChannelDocument>(CHANNELS_COLLECTION, 'ch-1');

  it('lists a created channel without a workflow, then with the assigned one', async () => {
    await project(created);
    expect(await channel()).toMatchObject({
      id: 'ch-1',
      workspace: 'acme',
      type: 'webchat',
      name: 'Site chat',
      workflowId: null,
      previewOf: null,
    });
    await project(assigned('wf-1'));
    expect((await channel())?.workflowId).toBe('wf-1');
  });

  it('names the workflow a Try it preview is of', async () => {
    await project({ ...created, data: { ...created.data, previewOf: 'wf-1' } }, assigned('wf-1'));
    expect(await channel()).toMatchObject({ workflowId: 'wf-1', previewOf: 'wf-1' });
  });

  it('lists a Try it preview no more once its workflow is deleted: it can run no other', async () => {
    await project({ ...created, data: { ...created.data, previewOf: 'wf-1' } }, assigned('wf-1'), unassigned('wf-1'));
    expect(await channel()).toBeUndefined();
  });

  it('lists a renamed channel under its new name, keeping what else it had', async () => {
    const renamed: ChannelEvent = { type: 'ChannelRenamed', data: { channelId: 'ch-1', name: 'Try it: Hello', previousName: 'Site chat' } };
    await project(created, assigned('wf-1'), renamed);
    expect(await channel()).toMatchObject({ name: 'Try it: Hello', workflowId: 'wf-1', type: 'webchat' });
  });

  it('takes off only the workflow the event names', async () => {
    await project(created, assigned('wf-1'), assigned('wf-2'), unassigned('wf-1'));
    expect((await channel())?.workflowId).toBe('wf-2');
    await project(unassigned('wf-2'));
    expect((await channel())?.workflowId).toBeNull();
  });

  it('ignores a redelivered creation', async () => {
    await project(created, assigned('wf-1'), created);
    expect((await channel())?.workflowId).toBe('wf-1');
  });
});

import type { ChannelEvent, ChannelType } from '#domain';
import type { RecordedEvent } from '#eventstore';
import { type Projection, recordedEventsOf } from '../projection.js';
import type { ProjectionTransaction, ReadModelDocument } from '../read-model-store.port.js';

export const CHANNELS_PROJECTION = 'channels';
export const CHANNELS_COLLECTION = 'channels';

export interface ChannelDocument extends ReadModelDocument {
  type: ChannelType;
  name: string;
  /** Null when no workflow is assigned: messages are recorded and get no automated answer. */
  workflowId: string | null;
  /** The workflow this channel is the Try it preview of (it runs that one only); null for any other channel. */
  previewOf: string | null;
  createdAt: string;
}

const handledEvent = recordedEventsOf<ChannelEvent>(
  'ChannelCreated',
  'ChannelWorkflowAssigned',
  'ChannelWorkflowUnassigned',
  'ChannelRenamed',
);

/** The channels of each workspace and the workflow each one runs. */
export const channelsProjection: Projection = {
  name: CHANNELS_PROJECTION,
  collections: [CHANNELS_COLLECTION],
  /** The channels page. */
  indexes: [{ collection: CHANNELS_COLLECTION, equals: [], orderBy: 'createdAt' }],

  async apply(recorded: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    const event = handledEvent(recorded);
    if (!event) return;
    const existing = await tx.get<ChannelDocument>(CHANNELS_COLLECTION, event.data.channelId);
    switch (event.type) {
      case 'ChannelCreated': {
        if (existing) return;
        const { channelId, workspace, channelType, name, previewOf } = event.data;
        tx.put(CHANNELS_COLLECTION, {
          id: channelId,
          workspace,
          type: channelType,
          name,
          workflowId: null,
          previewOf: previewOf ?? null,
          createdAt: event.metadata.occurredAt,
        } satisfies ChannelDocument);
        return;
      }
      case 'ChannelWorkflowAssigned':
        if (existing) tx.put(CHANNELS_COLLECTION, { ...existing, workflowId: event.data.workflowId });
        return;
      case 'ChannelWorkflowUnassigned':
        // A preview runs its own workflow only: deleted with it, it goes from the list as the workflow does.
        if (event.data.reason === 'workflow_deleted' && existing?.previewOf === event.data.workflowId) {
          tx.delete(CHANNELS_COLLECTION, existing.id);
          return;
        }
        // Only the workflow named by the event is taken off: a later assignment stays.
        if (existing?.workflowId === event.data.workflowId) tx.put(CHANNELS_COLLECTION, { ...existing, workflowId: null });
        return;
      case 'ChannelRenamed':
        if (existing) tx.put(CHANNELS_COLLECTION, { ...existing, name: event.data.name });
        return;
    }
  },
};

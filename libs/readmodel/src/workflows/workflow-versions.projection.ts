import type { WorkflowCopied, WorkflowCreated, WorkflowDefinition, WorkflowDefinitionPublished, WorkflowDeleted } from '#domain';
import type { RecordedEvent } from '#eventstore';
import { type Projection, type Recorded, recordedEventsOf } from '../projection.js';
import type { ProjectionTransaction, ReadModelDocument } from '../read-model-store.port.js';

export const WORKFLOW_VERSIONS_PROJECTION = 'workflow-versions';
export const WORKFLOW_VERSIONS_COLLECTION = 'workflow-versions';
/** One head per live workflow (`id` is the workflow id): which versions exist, to delete them all. */
export const WORKFLOW_VERSION_HEADS_COLLECTION = 'workflow-version-heads';

export const workflowVersionId = (workflowId: string, version: number): string => `${workflowId}:${version}`;

/**
 * A definition exactly as published. The name is left out: it belongs to the workflow, not to a
 * version, and renaming publishes no new version.
 */
export interface WorkflowVersionDocument extends ReadModelDocument, WorkflowDefinition {
  workflowId: string;
  version: number;
  publishedAt: string;
}

export interface WorkflowVersionHead extends ReadModelDocument {
  latestVersion: number;
}

/** A rename publishes no version, so it is not among them. */
type WorkflowVersionsEvent = WorkflowCreated | WorkflowCopied | WorkflowDefinitionPublished | WorkflowDeleted;

const handledEvent = recordedEventsOf<WorkflowVersionsEvent>(
  'WorkflowCreated',
  'WorkflowCopied',
  'WorkflowDefinitionPublished',
  'WorkflowDeleted',
);

/** Every published version of every live workflow, for sessions and admins that ask for one. */
export const workflowVersionsProjection: Projection = {
  name: WORKFLOW_VERSIONS_PROJECTION,
  collections: [WORKFLOW_VERSIONS_COLLECTION, WORKFLOW_VERSION_HEADS_COLLECTION],
  /** A version is always read by its id. */
  indexes: [],

  async apply(recorded: RecordedEvent, tx: ProjectionTransaction): Promise<void> {
    const event = handledEvent(recorded);
    if (!event) return;
    const { workspace } = event.metadata;
    const head = await tx.get<WorkflowVersionHead>(WORKFLOW_VERSION_HEADS_COLLECTION, event.data.workflowId);
    // Another workspace's workflow is as good as unknown.
    if (head && head.workspace !== workspace) return;

    switch (event.type) {
      case 'WorkflowCreated':
        return recordVersion(tx, head, versionDocument(event, { steps: [], settings: {} }));
      case 'WorkflowCopied':
        return recordVersion(tx, head, versionDocument(event, event.data));
      case 'WorkflowDefinitionPublished':
        // Publishing to a workflow never created (or already deleted) has nothing to attach to.
        if (head) recordVersion(tx, head, versionDocument(event, event.data));
        return;
      case 'WorkflowDeleted':
        if (head) deleteAllVersions(tx, head);
        return;
    }
  },
};

function versionDocument(
  event: Recorded<WorkflowCreated | WorkflowCopied | WorkflowDefinitionPublished>,
  { steps, settings }: WorkflowDefinition,
): WorkflowVersionDocument {
  const { workflowId, version } = event.data;
  return {
    id: workflowVersionId(workflowId, version),
    workspace: event.metadata.workspace,
    workflowId,
    version,
    steps,
    settings,
    publishedAt: event.metadata.occurredAt,
  };
}

/** Idempotent: the document derives from its event alone, and the head only moves forward. */
function recordVersion(tx: ProjectionTransaction, head: WorkflowVersionHead | undefined, document: WorkflowVersionDocument): void {
  tx.put(WORKFLOW_VERSIONS_COLLECTION, document);
  if (head && head.latestVersion >= document.version) return;
  const nextHead: WorkflowVersionHead = {
    id: document.workflowId,
    workspace: document.workspace,
    latestVersion: document.version,
  };
  tx.put(WORKFLOW_VERSION_HEADS_COLLECTION, nextHead);
}

function deleteAllVersions(tx: ProjectionTransaction, head: WorkflowVersionHead): void {
  for (let version = 1; version <= head.latestVersion; version++) {
    tx.delete(WORKFLOW_VERSIONS_COLLECTION, workflowVersionId(head.id, version));
  }
  tx.delete(WORKFLOW_VERSION_HEADS_COLLECTION, head.id);
}

import type { WorkflowCardDto } from '../dto/workflow.responses.js';

/** What a watcher of the cards learns: a card as it now is, or that a workflow is gone. */
export type CardChange = { kind: 'card'; card: WorkflowCardDto } | { kind: 'removed'; id: string };

/** A change together with the workspace it belongs to, which decides who may see it. */
export interface WorkspaceCardChange {
  workspace: string;
  change: CardChange;
}

export const changedCardId = (change: CardChange): string => (change.kind === 'card' ? change.card.id : change.id);

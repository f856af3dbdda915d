import { type Definition, isJsonObject } from './workflow-definition.js';

/**
 * Unsaved edits of a workflow, kept for this tab (sessionStorage) while they are unsaved: a
 * sign-in that ran out (the page goes to sign-in) or a reload then loses nothing. Kept per
 * workspace, user and workflow, with the version they were made on.
 */
export interface KeptDraft {
  baseVersion: number;
  definition: Definition;
}

export interface DraftOwner {
  workspace: string;
  sub: string;
}

const keyOf = (owner: DraftOwner, workflowId: string): string =>
  `workflows.draft:${JSON.stringify([owner.workspace, owner.sub, workflowId])}`;

/** Keeps `draft`, or forgets the kept one when there is nothing unsaved (null). */
export const keepDraft = (owner: DraftOwner, workflowId: string, draft: KeptDraft | null): void => {
  try {
    if (draft === null) sessionStorage.removeItem(keyOf(owner, workflowId));
    else sessionStorage.setItem(keyOf(owner, workflowId), JSON.stringify(draft));
  } catch {
    // Storage full or refused: the leave guard still asks before the page is left.
  }
};

/** The draft kept for that workflow, if one was and it reads as one. */
export const keptDraft = (owner: DraftOwner, workflowId: string): KeptDraft | undefined => {
  try {
    const kept = JSON.parse(sessionStorage.getItem(keyOf(owner, workflowId)) ?? 'null') as Partial<KeptDraft> | null;
    const definition = kept?.definition;
    if (typeof kept?.baseVersion !== 'number' || !Array.isArray(definition?.steps) || !isJsonObject(definition.settings)) return undefined;
    return { baseVersion: kept.baseVersion, definition };
  } catch {
    return undefined;
  }
};

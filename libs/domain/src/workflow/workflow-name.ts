import { normalizeDisplayName } from '../display-name.js';

export const MAX_WORKFLOW_NAME_LENGTH = 120;

/** The name as stored: required, trimmed, at most 120 characters (counted as code points). */
export const normalizeWorkflowName = (name: unknown): string => normalizeDisplayName(name, MAX_WORKFLOW_NAME_LENGTH);

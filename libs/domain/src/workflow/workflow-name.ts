import { ValidationError } from '../errors.js';

export const MAX_WORKFLOW_NAME_LENGTH = 120;

/** The name as stored: required, trimmed, at most 120 characters. */
export function normalizeWorkflowName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '') {
    throw new ValidationError('name', 'is required and must be a string that is not empty or only whitespace');
  }
  if (trimmed.length > MAX_WORKFLOW_NAME_LENGTH) {
    throw new ValidationError(
      'name',
      `must be at most ${MAX_WORKFLOW_NAME_LENGTH} characters long once trimmed, not ${trimmed.length}`,
    );
  }
  return trimmed;
}

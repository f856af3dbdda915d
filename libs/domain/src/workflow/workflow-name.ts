import { ValidationError } from '../errors.js';

export const MAX_WORKFLOW_NAME_LENGTH = 120;

/** Control characters (line breaks, NUL, escape codes) have no place in a one-line name. */
export const CONTROL_CHARACTERS = /\p{Cc}/u;

/** The name as stored: required, trimmed, at most 120 characters (counted as code points). */
export function normalizeWorkflowName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '') {
    throw new ValidationError('name', 'is required and must be a string that is not empty or only whitespace');
  }
  if (CONTROL_CHARACTERS.test(trimmed)) {
    throw new ValidationError('name', 'must not contain control characters');
  }
  // Code points, not UTF-16 units: an emoji is one character to the person typing it.
  const length = [...trimmed].length;
  if (length > MAX_WORKFLOW_NAME_LENGTH) {
    throw new ValidationError(
      'name',
      `must be at most ${MAX_WORKFLOW_NAME_LENGTH} characters long once trimmed, not ${length}`,
    );
  }
  return trimmed;
}

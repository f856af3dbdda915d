import { ValidationError } from './errors.js';

/** Control characters (line breaks, NUL, escape codes) have no place in a one-line name. */
export const CONTROL_CHARACTERS = /\p{Cc}/u;

/** A one-line name as stored: required, trimmed, without control characters, at most `maxLength` characters (code points). */
export function normalizeDisplayName(name: unknown, maxLength: number): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '') {
    throw new ValidationError('name', 'is required and must be a string that is not empty or only whitespace');
  }
  if (CONTROL_CHARACTERS.test(trimmed)) {
    throw new ValidationError('name', 'must not contain control characters');
  }
  // Code points, not UTF-16 units: an emoji is one character to the person typing it.
  const length = [...trimmed].length;
  if (length > maxLength) {
    throw new ValidationError('name', `must be at most ${maxLength} characters long once trimmed, not ${length}`);
  }
  return trimmed;
}

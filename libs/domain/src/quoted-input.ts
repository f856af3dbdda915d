/**
 * The most of a caller's input that an error message repeats: every id the API defines fits
 * (a UUID, a step id of at most 64 characters), so an error still names what it is about; a
 * whole text is never sent back (the caller's own, or someone else's pasted in).
 */
export const MAX_QUOTED_LENGTH = 64;

/** `input` as an error message may repeat it: whole when short, else cut to MAX_QUOTED_LENGTH characters ending in an ellipsis. */
export const quotedInput = (input: string): string => {
  const characters = [...input];
  return characters.length <= MAX_QUOTED_LENGTH ? input : `${characters.slice(0, MAX_QUOTED_LENGTH - 1).join('')}…`;
};

/** The API's limit on a workflow's name, in code points (a spec holds it to the server's). */
export const MAX_NAME_LENGTH = 120;
const COPY_SUFFIX = ' (copy)';

/** The name a copy is offered: the original's with " (copy)", shortened where that would be too long. */
export const copyNameOf = (name: string): string => {
  const points = [...name];
  const room = MAX_NAME_LENGTH - COPY_SUFFIX.length;
  return `${points.length > room ? points.slice(0, room).join('').trimEnd() : name}${COPY_SUFFIX}`;
};

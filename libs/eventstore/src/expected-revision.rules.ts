import { WrongExpectedRevisionError, type ExpectedRevision } from './event-store.port.js';

/** Whether the stream's last revision (undefined: no stream) satisfies `expected`. */
export const satisfiesExpectedRevision = (expected: ExpectedRevision, lastRevision: number | undefined): boolean =>
  expected === 'any' ||
  (expected === 'no_stream' && lastRevision === undefined) ||
  (expected === 'stream_exists' && lastRevision !== undefined) ||
  expected === lastRevision;

/** Throws unless the stream's last revision (undefined: no stream) satisfies `expected`. */
export function assertExpectedRevision(streamName: string, expected: ExpectedRevision, lastRevision: number | undefined): void {
  if (!satisfiesExpectedRevision(expected, lastRevision))
    throw new WrongExpectedRevisionError(streamName, expected, lastRevision ?? 'no_stream');
}

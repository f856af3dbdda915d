import { WrongExpectedRevisionError, type ExpectedRevision } from './event-store.port.js';

/** Throws unless the stream's last revision (undefined: no stream) satisfies `expected`. */
export function assertExpectedRevision(streamName: string, expected: ExpectedRevision, lastRevision: number | undefined): void {
  const satisfied =
    expected === 'any' ||
    (expected === 'no_stream' && lastRevision === undefined) ||
    (expected === 'stream_exists' && lastRevision !== undefined) ||
    expected === lastRevision;
  if (!satisfied) throw new WrongExpectedRevisionError(streamName, expected, lastRevision ?? 'no_stream');
}

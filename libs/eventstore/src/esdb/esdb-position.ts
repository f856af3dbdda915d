import type { Position } from '@eventstore/db-client';
import { InvalidPositionError } from '../event-store.port.js';

/** Before the first record of the transaction log; reading `$all` from here reads everything. */
export const LOG_START: Position = { commit: 0n, prepare: 0n };

const POSITION = /^(\d+)\/(\d+)$/;
/** The client's wire type is unsigned 64-bit, but the server keeps positions as signed 64-bit integers. */
const MAX_LOG_POSITION = 2n ** 63n - 1n;

/** On the wire a position is `commit/prepare`, both decimal. */
export function formatPosition({ commit, prepare }: Position): string {
  return `${commit}/${prepare}`;
}

export function parsePosition(token: string): Position {
  const match = typeof token === 'string' ? POSITION.exec(token) : null;
  if (!match) throw new InvalidPositionError(token);
  const commit = BigInt(match[1]);
  const prepare = BigInt(match[2]);
  // A record is prepared before its transaction commits, never after.
  if (commit > MAX_LOG_POSITION || prepare > commit) throw new InvalidPositionError(token);
  return { commit, prepare };
}

/** Records are ordered by commit position, then by prepare position within one commit. */
export function compareLogPositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function comparePositions(a: string, b: string): number {
  return compareLogPositions(parsePosition(a), parsePosition(b));
}

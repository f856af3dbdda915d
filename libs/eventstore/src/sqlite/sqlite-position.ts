import { InvalidPositionError } from '../event-store.port.js';

/** Before the first event: every stored sequence number is greater (SQLite starts them at 1). */
export const LOG_START_POSITION = '0';

const DECIMAL = /^[0-9]+$/;
/** SQLite integers are signed 64-bit, so no event can have a larger sequence number. */
export const MAX_SEQUENCE = 2n ** 63n - 1n;

/** On the wire a position is the decimal string of the event's global sequence number. */
export function toPosition(sequence: number): string {
  return String(sequence);
}

/** BigInt keeps comparisons exact for any token length, and binds to SQLite as an integer. */
export function parsePosition(position: string): bigint {
  if (typeof position !== 'string' || !DECIMAL.test(position)) throw new InvalidPositionError(position);
  const sequence = BigInt(position);
  if (sequence > MAX_SEQUENCE) throw new InvalidPositionError(position);
  return sequence;
}

export function comparePositions(a: string, b: string): number {
  const left = parsePosition(a);
  const right = parsePosition(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

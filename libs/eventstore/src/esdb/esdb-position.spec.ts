import { InvalidPositionError } from '../event-store.port.js';
import { compareLogPositions, comparePositions, formatPosition, LOG_START, parsePosition } from './esdb-position.js';

describe('EventStoreDB positions', () => {
  it('round-trips commit and prepare through the opaque token, beyond the safe integer range', () => {
    const position = { commit: 18_446_744_073_709_551_615n, prepare: 9_007_199_254_740_993n };

    expect(formatPosition(position)).toBe('18446744073709551615/9007199254740993');
    expect(parsePosition(formatPosition(position))).toEqual(position);
    expect(formatPosition(LOG_START)).toBe('0/0');
  });

  it('orders by commit position, then by prepare position', () => {
    expect(comparePositions('9/100', '10/0')).toBeLessThan(0);
    expect(comparePositions('10/5', '10/4')).toBeGreaterThan(0);
    expect(comparePositions('10/4', '010/4')).toBe(0);
    expect(compareLogPositions({ commit: 1n, prepare: 1n }, LOG_START)).toBeGreaterThan(0);
  });

  it.each(['', '12', '1/2/3', '-1/0', '1/-1', ' 1/1', '1/1 ', '1.5/1', '0x10/0', 'C:1/P:1', '18446744073709551616/0'])(
    'rejects %j as a position',
    (garbage) => {
      expect(() => parsePosition(garbage)).toThrow(InvalidPositionError);
      expect(() => comparePositions('1/1', garbage)).toThrow(InvalidPositionError);
    },
  );

  it('rejects a token that is not a string', () => {
    expect(() => parsePosition(42 as unknown as string)).toThrow(InvalidPositionError);
  });
});

import { InvalidPositionError } from '../event-store.port.js';
import { compareLogPositions, comparePositions, formatPosition, LOG_START, parsePosition } from './esdb-position.js';

describe('EventStoreDB positions', () => {
  it('round-trips commit and prepare through the opaque token, beyond the safe integer range', () => {
    const position = { commit: 9_223_372_036_854_775_807n, prepare: 9_007_199_254_740_993n };

    expect(formatPosition(position)).toBe('9223372036854775807/9007199254740993');
    expect(parsePosition(formatPosition(position))).toEqual(position);
    expect(formatPosition(LOG_START)).toBe('0/0');
  });

  it('orders by commit position, then by prepare position', () => {
    expect(comparePositions('9/9', '10/0')).toBeLessThan(0);
    expect(comparePositions('10/5', '10/4')).toBeGreaterThan(0);
    expect(comparePositions('10/4', '010/4')).toBe(0);
    expect(compareLogPositions({ commit: 1n, prepare: 1n }, LOG_START)).toBeGreaterThan(0);
  });

  it('accepts a commit position after its prepare position, as for a record of a multi-event transaction', () => {
    expect(parsePosition('120/80')).toEqual({ commit: 120n, prepare: 80n });
  });

  it.each([
    ['', 'empty'],
    ['12', 'one number'],
    ['1/2/3', 'three numbers'],
    ['-1/0', 'negative'],
    ['1/-1', 'negative'],
    [' 1/1', 'padded'],
    ['1/1 ', 'padded'],
    ['1.5/1', 'not an integer'],
    ['0x10/0', 'hexadecimal'],
    ['C:1/P:1', 'the client’s text form'],
    ['9223372036854775808/0', 'past the server’s signed 64-bit range'],
    ['18446744073709551615/18446744073709551615', 'past the server’s signed 64-bit range'],
    ['5/6', 'prepared after its commit'],
    ['0/1', 'prepared after its commit'],
  ])('rejects %j as a position (%s)', (garbage) => {
    expect(() => parsePosition(garbage)).toThrow(InvalidPositionError);
    expect(() => comparePositions('1/1', garbage)).toThrow(InvalidPositionError);
  });

  it('rejects a token that is not a string', () => {
    expect(() => parsePosition(42 as unknown as string)).toThrow(InvalidPositionError);
  });
});

import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Progress } from './progress.js';

/** A stderr that records what is written to it, a terminal or not. */
const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return {
    written,
    out: {
      isTTY,
      write: (text: string) => {
        written.push(text);
        return true;
      },
    } as unknown as NodeJS.WriteStream,
  };
};

describe('Progress', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('writes plain lines without a bar when stderr is no terminal', () => {
    const { out, written } = stream(false);
    const progress = new Progress('replay', 10_000, 'events', out);
    jest.advanceTimersByTime(1000);
    progress.update(5000);
    jest.advanceTimersByTime(1000);
    progress.update(6000); // within the interval: no line
    jest.advanceTimersByTime(1000);
    progress.update(10_000);
    progress.finish('10,000 events applied to workflows');
    expect(written).toEqual([
      'replay: 5,000 of 10,000 events (50%), 5,000 events/s, about 1 s left\n',
      'replay: 10,000 of 10,000 events (100%), 3,333 events/s\n',
      'replay: 10,000 events applied to workflows in 3.0 s\n',
    ]);
  });

  it('counts past the total a log had when it grew while read, and without a total', () => {
    const grown = stream(false);
    const uncounted = stream(false);
    const [growing, counting] = [
      new Progress('export', 90, 'events', grown.out),
      new Progress('export', undefined, 'events', uncounted.out),
    ];
    jest.advanceTimersByTime(1000);
    growing.update(91);
    counting.update(1500);
    expect([...grown.written, ...uncounted.written]).toEqual([
      'export: 91 of 91 events (100%), 91 events/s\n',
      'export: 1,500 events, 1,500 events/s\n',
    ]);
  });

  it.each([[false], [true]])('says there is nothing to read in an empty log (terminal: %s)', (isTTY) => {
    const { out, written } = stream(isTTY);
    new Progress('replay', 0, 'events', out).update(0);
    expect(written.join('')).toContain('replay: no events to read');
    expect(written.join('')).not.toMatch(/\d/);
  });

  it('keeps the bar, redrawn in place, on a terminal', () => {
    const { out, written } = stream(true);
    const progress = new Progress('replay', 10_000, 'events', out);
    jest.advanceTimersByTime(1000);
    progress.update(5000);
    progress.finish('done');
    expect(written).toEqual([
      `\rreplay [${'#'.repeat(15)}${'-'.repeat(15)}] 50% 5,000/10,000  5,000 events/s  ETA 1 s\x1b[K`,
      '\r\x1b[Kreplay: done in 1.0 s\n',
    ]);
  });
});

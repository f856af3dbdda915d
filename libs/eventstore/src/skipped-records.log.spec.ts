import { describe, expect, it } from '@jest/globals';
import { SkippedRecordsLog } from './skipped-records.log.js';

const recordAt = (position: number) => ({
  id: `0000000${position}-0000-4000-8000-000000000000`,
  type: 'Imported',
  streamName: 'legacy-1',
  revision: position,
  position: String(position),
});

function logged() {
  const warnings: string[] = [];
  return { warnings, log: new SkippedRecordsLog({ warn: (message) => warnings.push(message) }) };
}

describe('SkippedRecordsLog', () => {
  it('names the record, where it is and why it was skipped', () => {
    const { warnings, log } = logged();

    log.skipped(recordAt(7), 'its data is binary, not a JSON object');

    expect(warnings).toEqual([
      'Skipped the record 00000007-0000-4000-8000-000000000000 (Imported) at legacy-1@7, position 7: its data is binary, not a JSON object; ' +
        'it was not written through this service and is not an event it can read',
    ]);
  });

  it('reports a record once however often it is met, each record on its own', () => {
    const { warnings, log } = logged();

    for (let reader = 0; reader < 5; reader++) {
      log.skipped(recordAt(1), 'its data is an array, not a JSON object');
      log.skipped(recordAt(2), 'its metadata is missing, not a JSON object');
    }

    expect(warnings).toHaveLength(2);
  });

  it('remembers a bounded number of records: past ten thousand the oldest may be reported again', () => {
    const { warnings, log } = logged();

    for (let position = 1; position <= 10_001; position++) log.skipped(recordAt(position), 'its data is binary, not a JSON object');
    log.skipped(recordAt(10_001), 'its data is binary, not a JSON object');
    log.skipped(recordAt(1), 'its data is binary, not a JSON object');

    expect(warnings).toHaveLength(10_002);
    expect(warnings.at(-1)).toContain('position 1:');
  });
});

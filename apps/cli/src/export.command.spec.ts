import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { SqliteEventStore } from '#eventstore';
import { specEvent } from '../../../test/support/spec-events.js';
import { CliError } from './cli-storage.js';
import { writeLog } from './export.command.js';

describe('export writeLog', () => {
  let directory: string;
  let events: SqliteEventStore;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'export-'));
    events = SqliteEventStore.open({ file: join(directory, 'events.sqlite') });
    await events.appendToStream(
      's',
      Array.from({ length: 3 }, () => specEvent('Counted')),
      { expectedRevision: 'no_stream' },
    );
    // Progress goes to stderr; not this suite's output.
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await events.close();
    await rm(directory, { recursive: true, force: true });
  });

  const failure = async (written: Promise<unknown>): Promise<CliError> => {
    const error = await written.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  };

  it('ends a failing write as one line naming the target, not the hidden file beside it', async () => {
    const hidden = join(directory, 'gone', '.log.ndjson.1.partial');
    const error = await failure(writeLog(events, createWriteStream(hidden, { flags: 'wx' }), '/backups/log.ndjson'));
    expect([error.message, error.exitCode]).toEqual(['export: cannot write /backups/log.ndjson: no such file or directory (ENOENT)', 1]);
    expect(existsSync(hidden)).toBe(false);
  });

  it('ends a write that fails midway (a full disk, say) the same way', async () => {
    const full = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error("ENOSPC: no space left on device, write '/backups/.log.ndjson.1.partial'"), { code: 'ENOSPC' }));
      },
    });
    const error = await failure(writeLog(events, full, 'log.ndjson'));
    expect(error.message).toBe('export: cannot write log.ndjson: no space left on device (ENOSPC)');
  });
});

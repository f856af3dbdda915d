import { createWriteStream, fchmodSync, fstatSync } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { storedEventsOf } from '#eventstore';
import { auditEventView, loadConfig } from '#platform';
import { CliError, withStorage } from './cli-storage.js';
import { Progress, countedEvents } from './progress.js';

const BATCH_SIZE = 1000;

/** The whole log, every workspace, one event per line as the audit API shows it, written as it is read: constant memory. */
export async function exportCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
  if (!values.out) throw new CliError('--out FILE is required', 2);
  const file = values.out;
  const config = loadConfig();
  await withStorage(config, async (storage) => {
    // A backup holds the events as stored, not as upcast.
    const eventStore = storedEventsOf(storage.eventStore);
    // The log holds customers' messages: readable by its owner only, also when it replaces a file.
    const out = createWriteStream(file, { flags: 'w', mode: 0o600 });
    out.once('open', (fd: number) => {
      try {
        if (fstatSync(fd).isFile()) fchmodSync(fd, 0o600);
      } catch (error) {
        out.destroy(error as Error);
      }
    });
    const failed = once(out, 'error').then(([error]) => {
      throw new CliError(`export: cannot write ${file}: ${(error as Error).message}`, 1);
    });
    // Raced with every wait below; a write error at any other moment must not go unhandled.
    failed.catch(() => undefined);
    const progress = new Progress('export', countedEvents(await eventStore.headPosition()));
    let written = 0;
    const write = async (line: string) => {
      if (!out.write(line)) await Promise.race([once(out, 'drain'), failed]);
    };
    for (let after: string | undefined; ;) {
      const batch = await Promise.race([eventStore.readAll({ after, maxCount: BATCH_SIZE }), failed]);
      for (const event of batch) await write(`${JSON.stringify(auditEventView(event))}\n`);
      written += batch.length;
      progress.update(written);
      if (batch.length < BATCH_SIZE) break;
      after = batch.at(-1)?.position;
    }
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
    progress.finish(`${written.toLocaleString('en')} events written to ${file}`);
  });
}

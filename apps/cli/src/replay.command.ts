import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Projection } from '#readmodel';
import { ALL_PROJECTIONS, loadConfig } from '#platform';
import { refuseBesideRunningServer, UsageError, withScratchReadModel, withStorage } from './cli-storage.js';
import { rebuildProjections } from './rebuild.js';

/** `--projection` picks projections by name (repeatable); all of them by default. */
export function selectProjections(names: readonly string[] | undefined): readonly Projection[] {
  if (names === undefined || names.length === 0) return ALL_PROJECTIONS;
  return names.map((name) => {
    const projection = ALL_PROJECTIONS.find((candidate) => candidate.name === name);
    if (!projection) {
      throw new UsageError(`--projection must be one of ${ALL_PROJECTIONS.map(({ name: known }) => known).join(', ')}; got "${name}"`);
    }
    return projection;
  });
}

export const REPLAY_OPTIONS = { projection: { type: 'string', multiple: true } } satisfies ParseArgsConfig['options'];

/** What replay says once done: `it` for one projection, `them` for several. */
export const replayedLine = (projections: readonly Projection[]): string =>
  `Replayed ${projections.map(({ name }) => name).join(', ')} from the log and swapped ${projections.length === 1 ? 'it' : 'them'} in.\n`;

/**
 * Rebuilds read models from the log into a scratch store, then swaps them in at once: readers
 * see the old read models until the new ones are complete.
 */
export async function replayCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: REPLAY_OPTIONS });
  const projections = selectProjections(values.projection);
  const config = loadConfig();
  refuseBesideRunningServer(config, 'replay');
  await withStorage(config, (storage) =>
    withScratchReadModel(config, async (scratch) => {
      await rebuildProjections(storage.eventStore, scratch, projections, 'replay');
      await storage.readModel.replaceProjections(scratch, projections);
      process.stdout.write(replayedLine(projections));
    }),
  );
}

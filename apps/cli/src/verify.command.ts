import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type BrokenLink, type EventStore, canonicalJson, storedEventsOf, verifyHashChains } from '#eventstore';
import type { Projection, ProjectionsSnapshot, ReadModelDocument, ReadModelStore } from '#readmodel';
import { ALL_PROJECTIONS, type AppConfig, loadConfig } from '#platform';
import { Progress, countedEvents } from './progress.js';
import { CliError, withScratchReadModel, withStorage } from './cli-storage.js';
import { rebuildProjections } from './rebuild.js';

interface Difference {
  projection: string;
  collection: string;
  id: string;
  problem: string;
}

export const VERIFY_OPTIONS = {} satisfies ParseArgsConfig['options'];

/** Lines listed per kind of finding; the counts always cover everything. */
const LISTED = 50;

const count = (value: number): string => value.toLocaleString('en');

/**
 * Recomputes every projection from the log, each up to its own stored checkpoint (so a server
 * may keep running and projecting), diffs the result against the stored read models, and checks every stream's
 * hash chain. Exit 0 when all agree; 1 with the differences and broken links listed.
 */
export async function verifyCommand(args: string[]): Promise<void> {
  // It takes no options: a misspelt one must not start a long verification.
  parseArgs({ args, options: VERIFY_OPTIONS });
  const config = loadConfig();
  const { differences, compared, checkpoints, broken, eventsChecked, streamsChecked } = await withStorage(config, async (storage) => {
    const diff = await diffAgainstTheLog(config, storage.eventStore, storage.readModel);
    // The chains hash the events as stored, not as upcast.
    return { ...diff, ...(await checkChains(storedEventsOf(storage.eventStore))) };
  });
  const out = process.stdout;
  out.write(
    `Compared ${compared.toLocaleString('en')} documents of ${ALL_PROJECTIONS.length} projections; checked ${eventsChecked.toLocaleString('en')} events in ${streamsChecked.toLocaleString('en')} streams.\n`,
  );
  for (const { projection, collection, id, problem } of differences.slice(0, LISTED)) {
    out.write(`read model ${projection}/${collection}/${id}: ${problem}\n`);
  }
  for (const { projection, problem } of checkpoints) out.write(`checkpoint of ${projection}: ${problem}\n`);
  for (const { streamName, revision, eventId, problem } of broken.slice(0, LISTED)) {
    out.write(`stream ${streamName} revision ${revision} (event ${eventId}): ${problem}\n`);
  }
  if (differences.length === 0 && checkpoints.length === 0 && broken.length === 0) {
    out.write('Consistent: every read model matches the log, and every hash chain is intact.\n');
    return;
  }
  throw new CliError(
    `verify: ${count(differences.length)} read-model difference(s), ${count(checkpoints.length)} checkpoint(s) not of the log, ${count(broken.length)} stream(s) with a broken hash chain`,
    1,
  );
}

/**
 * Takes the stored read models as of one moment, rebuilds every projection up to the checkpoint
 * it had then, and compares: a server committing meanwhile changes neither side.
 */
async function diffAgainstTheLog(
  config: AppConfig,
  eventStore: EventStore,
  readModel: ReadModelStore,
): Promise<{ differences: Difference[]; compared: number; checkpoints: CheckpointProblem[] }> {
  const stored = await readModel.snapshotProjections(ALL_PROJECTIONS);
  // Read after the snapshot: the log only grows, so a checkpoint past it is none of the log's.
  const checkpoints = checkpointsNotOfTheLog(eventStore, stored, await eventStore.headPosition());
  return withScratchReadModel(config, async (scratch) => {
    await rebuildProjections(eventStore, scratch, ALL_PROJECTIONS, 'verify: recomputing projections', { upTo: stored.checkpoints });
    return { ...diffProjections(ALL_PROJECTIONS, stored, await scratch.snapshotProjections(ALL_PROJECTIONS)), checkpoints };
  });
}

interface CheckpointProblem {
  projection: string;
  problem: string;
}

/**
 * A checkpoint past the log's last event (or no position of it at all) would make its projection
 * skip every event until the log gets there, and `consistentWith` answer at once: a difference too.
 */
function checkpointsNotOfTheLog(eventStore: EventStore, stored: ProjectionsSnapshot, head: string | undefined): CheckpointProblem[] {
  return [...stored.checkpoints].flatMap(([projection, checkpoint]): CheckpointProblem[] => {
    if (checkpoint === undefined) return [];
    try {
      if (head !== undefined && eventStore.comparePositions(checkpoint, head) <= 0) return [];
      return [{ projection, problem: `is at ${checkpoint}, past the log's last event (${head ?? 'none'})` }];
    } catch {
      return [{ projection, problem: 'is no position of this log' }];
    }
  });
}

async function checkChains(eventStore: EventStore): Promise<{ broken: BrokenLink[]; eventsChecked: number; streamsChecked: number }> {
  const progress = new Progress('verify: checking hash chains', countedEvents(await eventStore.headPosition()));
  const result = await verifyHashChains(eventStore, (checked) => progress.update(checked));
  progress.finish(`${result.eventsChecked.toLocaleString('en')} events, ${result.broken.length} broken chain(s)`);
  return result;
}

function diffProjections(
  projections: readonly Projection[],
  stored: ProjectionsSnapshot,
  rebuilt: ProjectionsSnapshot,
): { differences: Difference[]; compared: number } {
  const differences: Difference[] = [];
  let compared = 0;
  for (const projection of projections) {
    for (const collection of projection.collections) {
      const expected = byId(rebuilt, collection);
      const actual = byId(stored, collection);
      compared += actual.size;
      for (const [id, document] of expected) {
        const found = actual.get(id);
        const problem = found === undefined ? 'missing: the log says it should exist' : describeMismatch(document, found);
        if (problem) differences.push({ projection: projection.name, collection, id, problem });
      }
      for (const id of actual.keys()) {
        if (!expected.has(id))
          differences.push({ projection: projection.name, collection, id, problem: 'unexpected: nothing in the log makes it' });
      }
    }
  }
  return { differences, compared };
}

const byId = (snapshot: ProjectionsSnapshot, collection: string): Map<string, ReadModelDocument> =>
  new Map((snapshot.documents.get(collection) ?? []).map((document) => [document.id, document]));

/** Names the fields that differ; undefined when the documents are the same. */
function describeMismatch(expected: ReadModelDocument, actual: ReadModelDocument): string | undefined {
  const fields = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  const differing = [...fields].filter((field) => canonicalJson(expected[field]) !== canonicalJson(actual[field]));
  return differing.length === 0 ? undefined : `differs from the log in ${differing.sort().join(', ')}`;
}

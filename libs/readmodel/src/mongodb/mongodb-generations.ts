/**
 * A rebuilt copy of a read-model collection, held in the MongoDB collection `<collection>.<generation>`.
 * `undefined` is the MongoDB collection of the read-model collection's own name: what every
 * collection is until its first rebuild.
 */
export type Generation = string | undefined;

const GENERATION = /^g[0-9a-z]{1,32}$/;

/** A generation's name: ordered by time when read, unique through `entropy` (lower-case hex). */
export function newGeneration(now: number, entropy: string): string {
  const generation = `g${now.toString(36)}${entropy}`;
  if (!GENERATION.test(generation)) throw new Error(`Not a generation name: ${JSON.stringify(generation)}`);
  return generation;
}

/** The MongoDB collection that holds `generation` of `collection` (a checked read-model collection name). */
export function generationCollectionName(collection: string, generation: Generation): string {
  return generation === undefined ? collection : `${collection}.${generation}`;
}

/**
 * The generation of `collection` that the MongoDB collection `name` holds, or `null` when it holds
 * none of it. A read-model collection name has no dot, so no other collection's generation can pass for one of it.
 */
export function generationHeldBy(name: string, collection: string): Generation | null {
  if (name === collection) return undefined;
  if (!name.startsWith(`${collection}.`)) return null;
  const generation = name.slice(collection.length + 1);
  return GENERATION.test(generation) ? generation : null;
}

/** The switch of a rebuild refused: another one switched some of the same collections first. */
export class RebuildConflictError extends Error {
  constructor(
    readonly collection: string,
    readonly copiedBeside: Generation,
    readonly activeNow: Generation,
  ) {
    super(
      `Another rebuild switched collection "${collection}" from ${describe(copiedBeside)} to ${describe(activeNow)} while this one ` +
        'copied it: nothing was switched; rebuild again once the other one is done',
    );
    this.name = 'RebuildConflictError';
  }
}

/** A unit of work read a generation that a rebuild has since replaced: its writes would go where no one reads. */
export class GenerationSwitchedError extends Error {
  constructor(
    readonly collection: string,
    readonly read: Generation,
    readonly activeNow: Generation,
  ) {
    super(
      `Collection "${collection}" was switched from ${describe(read)} to ${describe(activeNow)} by a rebuild while a unit read it: apply it again`,
    );
    this.name = 'GenerationSwitchedError';
  }
}

const describe = (generation: Generation): string => (generation === undefined ? 'its first generation' : `generation ${generation}`);

/** What a switch writes, in one transaction: each collection's generation, each projection's checkpoint. */
export interface GenerationSwitch {
  generations: { collection: string; generation: string }[];
  /**
   * Every checkpoint document is written, naming the generation, even when its position stays as
   * it was: a unit of that projection committing at the same time then conflicts with the switch
   * instead of slipping its writes into the generation being replaced.
   */
  checkpoints: { projection: string; document: { position?: string; generation: string } }[];
}

/**
 * Decides, inside the switch's transaction, what it writes: `generation` becomes the one readers
 * use for every collection copied, with the rebuilt checkpoints. Refused with
 * `RebuildConflictError` when a collection's active generation is no longer the one the copy began beside.
 */
export function planGenerationSwitch({
  generation,
  copiedBeside,
  activeNow,
  checkpoints,
}: {
  generation: string;
  copiedBeside: ReadonlyMap<string, Generation>;
  activeNow: ReadonlyMap<string, Generation>;
  checkpoints: ReadonlyMap<string, string | undefined>;
}): GenerationSwitch {
  for (const [collection, before] of copiedBeside) {
    const now = activeNow.get(collection);
    if (now !== before) throw new RebuildConflictError(collection, before, now);
  }
  return {
    generations: [...copiedBeside.keys()].map((collection) => ({ collection, generation })),
    checkpoints: [...checkpoints].map(([projection, position]) => ({
      projection,
      document: position === undefined ? { generation } : { position, generation },
    })),
  };
}

/**
 * The MongoDB collections to drop once `active` is switched in: every other generation of
 * `collection` found in `names`, but the one it replaced, which stays until the next switch so
 * that a reader who looked up the generation just before the switch still finds it. Left-overs of
 * rebuilds that failed go too.
 */
export function retiredGenerations(collection: string, names: readonly string[], active: string, replaced: Generation): string[] {
  return names.filter((name) => {
    const generation = generationHeldBy(name, collection);
    return generation !== null && generation !== active && generation !== replaced;
  });
}

/**
 * Refuses the writes of a unit when a collection it read has been switched since: what it read is
 * no longer what readers see. Collections it only writes take the active generation as they find it.
 */
export function requireGenerationsRead(read: ReadonlyMap<string, Generation>, activeNow: ReadonlyMap<string, Generation>): void {
  for (const [collection, generation] of read) {
    const now = activeNow.get(collection);
    if (now !== generation) throw new GenerationSwitchedError(collection, generation, now);
  }
}

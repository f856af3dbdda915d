import {
  type Generation,
  generationCollectionName,
  generationHeldBy,
  GenerationSwitchedError,
  newGeneration,
  planGenerationSwitch,
  RebuildConflictError,
  requireGenerationsRead,
  retiredGenerations,
} from './mongodb-generations.js';

const generations = (entries: Record<string, Generation>): Map<string, Generation> => new Map(Object.entries(entries));

describe('generation names', () => {
  it('names a generation by its time and entropy, in lower case', () => {
    expect(newGeneration(Date.UTC(2024, 0, 1), '00ff12ab')).toBe(`g${Date.UTC(2024, 0, 1).toString(36)}00ff12ab`);
    expect(() => newGeneration(1, 'NOT HEX')).toThrow(/generation name/);
  });

  it('keeps a collection before its first rebuild under its own name, and each generation beside it', () => {
    expect(generationCollectionName('workflow-cards', undefined)).toBe('workflow-cards');
    expect(generationCollectionName('workflow-cards', 'g1a2b')).toBe('workflow-cards.g1a2b');
  });

  it.each([
    ['workflow-cards', undefined],
    ['workflow-cards.g1a2b', 'g1a2b'],
    ['workflow-cards-archive', null],
    ['workflow-cards-archive.g1a2b', null],
    ['workflow-cards.notes', null],
    ['workflow-cards.g1a2b.old', null],
    ['sessions.g1a2b', null],
  ])('tells which generation of workflow-cards %j holds: %p', (name, generation) => {
    expect(generationHeldBy(name, 'workflow-cards')).toBe(generation);
  });
});

describe('planGenerationSwitch', () => {
  const checkpoints = new Map<string, string | undefined>([
    ['workflows', '000000000042'],
    ['sessions', undefined],
  ]);

  it('switches every collection copied to the new generation, and sets every checkpoint naming it', () => {
    const plan = planGenerationSwitch({
      generation: 'g2',
      copiedBeside: generations({ cards: undefined, sessions: 'g1' }),
      activeNow: generations({ cards: undefined, sessions: 'g1' }),
      checkpoints,
    });

    expect(plan).toEqual({
      generations: [
        { collection: 'cards', generation: 'g2' },
        { collection: 'sessions', generation: 'g2' },
      ],
      checkpoints: [
        { projection: 'workflows', document: { position: '000000000042', generation: 'g2' } },
        // Written all the same, so that a unit of the projection committing at the same time conflicts with the switch.
        { projection: 'sessions', document: { generation: 'g2' } },
      ],
    });
  });

  it.each([
    { case: 'from its first generation', before: undefined, now: 'g1' },
    { case: 'from one generation to another', before: 'g1', now: 'g3' },
  ])('refuses the switch when another rebuild switched a collection meanwhile, $case', ({ before, now }) => {
    const attempt = () =>
      planGenerationSwitch({
        generation: 'g2',
        copiedBeside: generations({ cards: undefined, sessions: before }),
        activeNow: generations({ cards: undefined, sessions: now }),
        checkpoints,
      });

    expect(attempt).toThrow(RebuildConflictError);
    expect(attempt).toThrow(/Another rebuild switched collection "sessions" .* nothing was switched/);
  });
});

describe('retiredGenerations', () => {
  const names = ['cards', 'cards.g1', 'cards.g2', 'cards.g3', 'cards-archive', 'cards-archive.g1', 'sessions.g1', 'checkpoints'];

  it('drops every generation of the collection but the active one and the one it replaced', () => {
    expect(retiredGenerations('cards', names, 'g3', 'g2')).toEqual(['cards', 'cards.g1']);
  });

  it('keeps the collection of its own name when that is the generation replaced, at the first rebuild', () => {
    expect(retiredGenerations('cards', ['cards', 'cards.g0', 'cards.g1'], 'g1', undefined)).toEqual(['cards.g0']);
  });

  it('leaves other collections alone, even those whose name begins the same', () => {
    expect(retiredGenerations('cards', names, 'g3', 'g2')).not.toContain('cards-archive.g1');
    expect(retiredGenerations('sessions', names, 'g1', undefined)).toEqual([]);
  });
});

describe('requireGenerationsRead', () => {
  it('lets a unit write when every collection it read is still on the generation it read', () => {
    expect(() =>
      requireGenerationsRead(
        generations({ cards: 'g1', sessions: undefined }),
        generations({ cards: 'g1', sessions: undefined, other: 'g9' }),
      ),
    ).not.toThrow();
  });

  it.each([
    { read: undefined, now: 'g1' },
    { read: 'g1', now: 'g2' },
  ])('refuses a unit that read $read of a collection now on $now', ({ read, now }) => {
    const attempt = () => requireGenerationsRead(generations({ cards: read }), generations({ cards: now }));

    expect(attempt).toThrow(GenerationSwitchedError);
    expect(attempt).toThrow(/Collection "cards" was switched .* by a rebuild/);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventMetadata, NewEvent, RecordedEvent } from './event-store.port.js';
import { verifyHashChains } from './hash-chain.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';
import { storedEventsOf, type Upcaster, UpcasterRegistry, UpcastingEventStore } from './upcasting-event-store.js';

/**
 * Say `ask_question` once took its choices as `choices: ["Yes", "No"]`, and now as
 * `options: [{ label, value }]`: sessions started before the change pinned definitions in the old
 * shape, and must still read as the session decider expects.
 */
const choicesAsOptions: Upcaster = {
  type: 'SessionStarted',
  fromVersion: 1,
  upcast: (data) => ({
    ...data,
    steps: (data.steps as Record<string, unknown>[]).map(({ choices, ...step }) =>
      step.type === 'ask_question' && Array.isArray(choices)
        ? { ...step, options: (choices as string[]).map((choice) => ({ label: choice, value: choice })) }
        : step,
    ),
  }),
};

const metadata: EventMetadata = {
  correlationId: 'c-1',
  causationId: 'c-1',
  actor: { sub: 'session-engine', role: 'system' },
  occurredAt: '2026-01-01T00:00:00.000Z',
  workspace: 'acme',
};
const sessionStarted = (id: string, steps: object[]): NewEvent => ({
  id,
  type: 'SessionStarted',
  data: { sessionId: 's-1', workflowId: 'wf-1', steps },
  metadata,
});
const OLD_STEPS = [
  { id: 'ask', type: 'ask_question', text: 'Happy?', variable: 'happy', answerType: 'choice', choices: ['Yes', 'No'] },
  { id: 'bye', type: 'send_message', text: 'Bye' },
];
const CURRENT_STEPS = [
  {
    id: 'ask',
    type: 'ask_question',
    text: 'Happy?',
    variable: 'happy',
    answerType: 'choice',
    options: [
      { label: 'Yes', value: 'Yes' },
      { label: 'No', value: 'No' },
    ],
  },
  { id: 'bye', type: 'send_message', text: 'Bye' },
];

describe('UpcastingEventStore', () => {
  let directory: string;
  let stored: SqliteEventStore;
  let store: UpcastingEventStore;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'upcasting-'));
    stored = SqliteEventStore.open({ file: join(directory, 'events.sqlite') });
    // The old event was written before the upcaster existed: without a schema version.
    await stored.appendToStream('session-s-1', [sessionStarted('00000000-0000-4000-8000-000000000001', OLD_STEPS)]);
    store = new UpcastingEventStore(stored, new UpcasterRegistry([choicesAsOptions]));
  });

  afterEach(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('reads an old SessionStarted with its pinned steps in the current shape, however it is read', async () => {
    const [fromStream] = await store.readStream('session-s-1');
    const [fromLog] = await store.readAll();
    const subscription = store.subscribeToAll();
    let followed: RecordedEvent | undefined;
    for await (const event of subscription) {
      followed = event;
      break;
    }
    await subscription.unsubscribe();

    for (const event of [fromStream, fromLog, followed]) expect(event?.data.steps).toEqual(CURRENT_STEPS);
  });

  it('never changes what is stored: the raw store and the hash chains still see the old shape', async () => {
    await store.readStream('session-s-1');
    const [raw] = await storedEventsOf(store).readStream('session-s-1');
    expect(raw.data.steps).toEqual(OLD_STEPS);
    await expect(verifyHashChains(storedEventsOf(store))).resolves.toMatchObject({ broken: [] });
  });

  it('writes new events at the current version, so they are not upcast again', async () => {
    await store.appendToStream('session-s-2', [sessionStarted('00000000-0000-4000-8000-000000000002', CURRENT_STEPS)]);
    const [raw] = await stored.readStream('session-s-2');
    expect(raw.metadata.schemaVersion).toBe(2);
    const [read] = await store.readStream('session-s-2');
    expect(read.data.steps).toEqual(CURRENT_STEPS);
  });

  it('refuses a gap in a type’s versions', () => {
    expect(() => new UpcasterRegistry([{ ...choicesAsOptions, fromVersion: 2 }])).toThrow(
      'The upcasters of SessionStarted must go from version 1, not 2',
    );
  });
});

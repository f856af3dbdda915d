import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { channelRegistry } from '#channels';
import type { RecordedEvent } from '#eventstore';
import type { ReadModelStore } from '#readmodel';
import { ChannelSessionAdmission, type OpenSessionChange } from './channel-session-admission.js';
import { SESSION_ENGINE_PROJECTION, applyToSessionEngineState } from './session-engine-state.projection.js';
import { SESSION_END_TYPES, engineEventsIn, openTemporaryReadModelStore } from './session-engine.fixture.js';

const on = engineEventsIn('acme');
const WEB = 'web-1';
const SHOP = 'web-2';

describe('ChannelSessionAdmission', () => {
  let store: ReadModelStore;
  let dispose: () => Promise<void>;
  let admission: ChannelSessionAdmission;

  beforeEach(async () => {
    ({ store, dispose } = await openTemporaryReadModelStore());
    admission = new ChannelSessionAdmission({ maxOpenSessionsPerChannel: 2 });
  });
  afterEach(async () => {
    await dispose();
  });

  /** Commits the events to the engine's state and tells `admission` once stored, as the engine does. */
  const commit = async (...events: RecordedEvent[]): Promise<OpenSessionChange[]> => {
    const changes: OpenSessionChange[] = [];
    const expected = await store.getCheckpoint(SESSION_ENGINE_PROJECTION);
    await store.commit(SESSION_ENGINE_PROJECTION, { expected, next: events[events.length - 1].position }, async (tx) => {
      for (const event of events) await applyToSessionEngineState(event, tx, channelRegistry, changes);
    });
    admission.followCommit(events, changes);
    return changes;
  };
  const started = (sessionId: string, channelId: string) => on.sessionStarted(sessionId, 'wf-1', '2030-01-01T00:00:00.000Z', channelId);
  const refused = (messageId: string) =>
    on.other(`conversation-${WEB}-${messageId}`, 'SessionRefused', {
      channelId: WEB,
      contactId: messageId,
      messageId,
      workflowId: 'wf-1',
      reason: 'channel_session_cap',
      openSessions: 2,
      maxOpenSessions: 2,
    });

  it('is told of each session its commit makes active or ends, once, whichever way it ends', async () => {
    for (const end of SESSION_END_TYPES) {
      const sessionId = `s-${end}`;
      expect(await commit(started(sessionId, WEB), started(sessionId, WEB))).toEqual([{ kind: 'opened', channelId: WEB, sessionId }]);
      expect(await commit(on.sessionEnded(end, sessionId), on.sessionEnded(end, sessionId))).toEqual([
        { kind: 'closed', channelId: WEB, sessionId },
      ]);
    }
    expect(await commit(on.sessionEnded('SessionCompleted', 'never-started'), on.inactivityTimer('never-started', 't-1', 'x'))).toEqual([]);
  });

  it('starts from the active sessions of the committed state, per channel', async () => {
    await commit(started('s-1', WEB), started('s-2', WEB), started('s-3', SHOP), started('s-4', SHOP));
    await commit(on.sessionEnded('SessionExpired', 's-4'));

    const restarted = new ChannelSessionAdmission({ maxOpenSessionsPerChannel: 2 });
    await restarted.load(store);

    expect(restarted.status()).toEqual({ maxOpenSessionsPerChannel: 2, openSessions: 3, channelsAtCap: 1, sessionsRefused: 0 });
    expect(restarted.admit(WEB, 's-5')).toEqual({ open: 2, max: 2 });
    expect(restarted.admit(SHOP, 's-6')).toEqual({ open: 1, max: 2 });
    expect(restarted.status()).toMatchObject({ openSessions: 4, channelsAtCap: 2 });
  });

  it('never lets sessions admitted before any commit exceed the cap', () => {
    const counts = ['a', 'b', 'c', 'd', 'e'].map((sessionId) => admission.admit(WEB, sessionId));

    expect(counts.map(({ open }) => open)).toEqual([0, 1, 2, 2, 2]);
    expect(admission.status()).toMatchObject({ openSessions: 2, channelsAtCap: 1 });
  });

  it('counts an admitted session once when the engine commits its start, and frees its place when it ends', async () => {
    admission.admit(WEB, 's-1');
    admission.admit(WEB, 's-2');

    await commit(started('s-1', WEB), started('s-2', WEB));
    expect(admission.status().openSessions).toBe(2);
    expect(admission.admit(WEB, 's-3')).toEqual({ open: 2, max: 2 });

    await commit(on.sessionEnded('SessionCompleted', 's-1'));
    expect(admission.admit(WEB, 's-3')).toEqual({ open: 1, max: 2 });
    expect(admission.status()).toMatchObject({ openSessions: 2, channelsAtCap: 1 });
  });

  it('frees the place of a session withdrawn, and of no other', () => {
    admission.admit(WEB, 's-1');
    admission.admit(WEB, 's-2');

    admission.withdraw(WEB, 's-1');
    admission.withdraw(WEB, 'never-admitted');
    admission.withdraw(SHOP, 's-2');

    expect(admission.status()).toMatchObject({ openSessions: 1, channelsAtCap: 0 });
  });

  it('keeps a committed start counted, whether or not a place was taken for it first', async () => {
    await commit(started('s-1', WEB));
    admission.withdraw(WEB, 's-1');

    expect(admission.status().openSessions).toBe(1);
  });

  it('counts the refusals it follows in the log', async () => {
    await commit(refused('m-1'), started('s-1', WEB), refused('m-2'));

    expect(admission.status().sessionsRefused).toBe(2);
  });
});

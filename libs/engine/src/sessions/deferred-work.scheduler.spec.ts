import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#eventstore';
import type { ReadModelStore } from '#readmodel';
import { DeliverOutboxCommand, FireSessionTimerCommand, RunAgentTurnCommand } from './deferred-work.commands.js';
import { DeferredWorkScheduler } from './deferred-work.scheduler.js';
import { outboxWorkId } from './session-engine-state.projection.js';
import { SESSION_END_TYPES, commitToEngineState, engineEventsIn, fromNow, openTemporaryReadModelStore } from './session-engine.fixture.js';

const WORKSPACE = 'acme';
const on = engineEventsIn(WORKSPACE);

type DeferredWork = FireSessionTimerCommand | RunAgentTurnCommand | DeliverOutboxCommand;

/** What the scheduler asked to run, and when. */
interface Executed {
  command: DeferredWork;
  atMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, checking every few milliseconds; fails after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/** A promise settled by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe('DeferredWorkScheduler', () => {
  let store: ReadModelStore;
  let dispose: () => Promise<void>;
  let executed: Executed[];
  let errors: string[];
  /** What the next commands answer; by default they succeed at once. */
  let outcome: (command: DeferredWork) => Promise<unknown>;
  let scheduler: DeferredWorkScheduler;

  beforeEach(async () => {
    ({ store, dispose } = await openTemporaryReadModelStore());
    executed = [];
    errors = [];
    outcome = async () => undefined;
    scheduler = new DeferredWorkScheduler(
      store,
      (command) => {
        executed.push({ command, atMs: Date.now() });
        return outcome(command);
      },
      { error: (message) => errors.push(message) },
    );
  });
  afterEach(async () => {
    await scheduler.stop();
    await dispose();
  });

  /** Commits events to the engine's state without telling the scheduler: what it finds at start. */
  const owe = (...events: RecordedEvent[]) => commitToEngineState(store, ...events);
  /** Commits each event to the engine's state and hands the scheduler its changes, as the engine does. */
  const follow = async (...events: RecordedEvent[]) => {
    for (const event of events) scheduler.apply(await commitToEngineState(store, event));
  };
  const workIds = () => executed.map(({ command }) => command.workId);
  /** A session on a WhatsApp channel of its own, whose messages go through an outbox. */
  const whatsAppSession = (sessionId: string) => [
    on.channelCreated(`wa-of-${sessionId}`, 'whatsapp'),
    on.sessionStarted(sessionId, 'wf-1', fromNow(-60_000), `wa-of-${sessionId}`),
  ];

  describe('start', () => {
    it('does at once the timers, agent requests and deliveries that fell due while it was down', async () => {
      await owe(
        on.sessionStarted('s-1'),
        on.inactivityTimer('s-1', 's-1:t:1', fromNow(-60_000)),
        on.agentInvoked('s-1', 's-1:a:1', fromNow(-5_000)),
        on.sessionStarted('s-2'),
        on.stepTimer('s-2', 's-2:t:1', fromNow(-1_000)),
        ...whatsAppSession('s-3'),
        on.messageSent('s-3', 's-3:m:1', fromNow(-2_000)),
      );

      await scheduler.start();
      await until(() => executed.length === 4);

      const commands = executed.map(({ command }) => command);
      expect(commands).toEqual(
        expect.arrayContaining([
          new FireSessionTimerCommand('s-1', WORKSPACE, 's-1:t:1'),
          new RunAgentTurnCommand('s-1', WORKSPACE, 's-1:a:1'),
          new FireSessionTimerCommand('s-2', WORKSPACE, 's-2:t:1'),
          new DeliverOutboxCommand('s-3', WORKSPACE, outboxWorkId('s-3')),
        ]),
      );
      expect(commands.find(({ workId }) => workId === 's-1:a:1')).toBeInstanceOf(RunAgentTurnCommand);
      expect(commands.find(({ workId }) => workId === 's-2:t:1')).toBeInstanceOf(FireSessionTimerCommand);
      expect(commands.find(({ workId }) => workId === outboxWorkId('s-3'))).toBeInstanceOf(DeliverOutboxCommand);
      await until(() => scheduler.pending === 0);
    });

    it('fires a timer when it falls due, not before', async () => {
      const dueAt = fromNow(150);
      await owe(on.sessionStarted('s-1'), on.stepTimer('s-1', 's-1:t:1', dueAt));

      await scheduler.start();
      await sleep(50);
      expect(executed).toEqual([]);
      expect(scheduler.pending).toBe(1);

      await until(() => executed.length === 1);
      expect(executed[0].command).toStrictEqual(new FireSessionTimerCommand('s-1', WORKSPACE, 's-1:t:1'));
      expect(executed[0].atMs).toBeGreaterThanOrEqual(Date.parse(dueAt));
    });

    it('keeps a timer due later owed, without firing it', async () => {
      await owe(on.sessionStarted('s-1'), on.inactivityTimer('s-1', 's-1:t:1', fromNow(24 * 3600_000)));

      await scheduler.start();
      await sleep(50);

      expect(executed).toEqual([]);
      expect(scheduler.pending).toBe(1);
    });

    it('owes on reload exactly what the stored state owes, after another engine committed events it did not follow', async () => {
      await follow(on.sessionStarted('s-1'), on.stepTimer('s-1', 's-1:t:1', fromNow(24 * 3600_000)));
      await scheduler.start();
      // Another engine process: it fired that timer and owes a new one of another session.
      await owe(on.timerFired('s-1', 's-1:t:1'), on.sessionStarted('s-2'), on.stepTimer('s-2', 's-2:t:1', fromNow(-1_000)));
      expect(scheduler.pending).toBe(1);

      await scheduler.reload();

      await until(() => executed.length === 1);
      expect(workIds()).toEqual(['s-2:t:1']);
      await sleep(50);
      expect(workIds()).toEqual(['s-2:t:1']);
    });

    it('owes nothing for work the engine state no longer holds', async () => {
      await owe(
        on.sessionStarted('s-1'),
        on.inactivityTimer('s-1', 's-1:t:1', fromNow(-1_000)),
        on.timerFired('s-1', 's-1:t:1'),
        on.sessionStarted('s-2'),
        on.agentInvoked('s-2', 's-2:a:1', fromNow(-1_000)),
        on.sessionEnded('SessionTerminated', 's-2'),
        ...whatsAppSession('s-3'),
        on.messageSent('s-3', 's-3:m:1', fromNow(-1_000)),
        on.delivered('s-3', 's-3:m:1'),
      );

      await scheduler.start();
      await sleep(50);

      expect(executed).toEqual([]);
      expect(scheduler.pending).toBe(0);
    });
  });

  describe('apply', () => {
    beforeEach(async () => {
      await scheduler.start();
      await follow(on.sessionStarted('s-1'), on.sessionStarted('s-2'));
    });

    it('fires a timer it is told of when it falls due', async () => {
      const dueAt = fromNow(100);

      await follow(on.stepTimer('s-1', 's-1:t:1', dueAt));

      expect(scheduler.pending).toBe(1);
      await until(() => executed.length === 1);
      expect(executed[0].command).toStrictEqual(new FireSessionTimerCommand('s-1', WORKSPACE, 's-1:t:1'));
      expect(executed[0].atMs).toBeGreaterThanOrEqual(Date.parse(dueAt));
    });

    it('asks the agent at once for a request it is told of', async () => {
      await follow(on.agentInvoked('s-1', 's-1:a:1'));

      await until(() => executed.length === 1);
      expect(executed[0].command).toStrictEqual(new RunAgentTurnCommand('s-1', WORKSPACE, 's-1:a:1'));
    });

    it('delivers at once the outbox of a session that sent a message to a push channel', async () => {
      await follow(...whatsAppSession('s-3'), on.messageSent('s-3', 's-3:m:1'));

      await until(() => executed.length === 1);
      expect(executed[0].command).toStrictEqual(new DeliverOutboxCommand('s-3', WORKSPACE, outboxWorkId('s-3')));
      await until(() => scheduler.pending === 0);
    });

    it('ignores events that owe nothing', async () => {
      await follow(
        on.sessionStarted('s-3'),
        on.stepEntered('s-1'),
        on.channelCreated('web-1', 'webchat'),
        on.channelAssigned('web-1', 'wf-1'),
        on.messageSent('s-1', 's-1:m:1'),
      );

      expect(scheduler.pending).toBe(0);
      await sleep(20);
      expect(executed).toEqual([]);
    });

    it('cancels a timer that fired', async () => {
      await follow(on.stepTimer('s-1', 's-1:t:1', fromNow(100)), on.inactivityTimer('s-1', 's-1:t:2', fromNow(100)));

      await follow(on.timerFired('s-1', 's-1:t:1'));

      await until(() => executed.length === 1);
      await sleep(50);
      expect(workIds()).toEqual(['s-1:t:2']);
    });

    it.each([
      ['AgentReplied', () => on.agentReplied('s-1', 's-1:a:1')],
      ['AgentFailed', () => on.agentFailed('s-1', 's-1:a:1')],
    ])('cancels an agent request that has its outcome (%s)', async (_, outcomeEvent) => {
      // Asked a moment ahead of this clock, so that the request still waits when its outcome arrives.
      await follow(on.agentInvoked('s-1', 's-1:a:1', fromNow(100)));
      expect(scheduler.pending).toBe(1);

      await follow(outcomeEvent());

      expect(scheduler.pending).toBe(0);
      await sleep(150);
      expect(executed).toEqual([]);
    });

    it.each(SESSION_END_TYPES)('cancels all of a session’s work on %s, and only that session’s', async (endType) => {
      await follow(
        on.inactivityTimer('s-1', 's-1:t:1', fromNow(100)),
        on.stepTimer('s-1', 's-1:t:2', fromNow(100)),
        on.agentInvoked('s-1', 's-1:a:1', fromNow(100)),
        on.stepTimer('s-2', 's-2:t:1', fromNow(100)),
      );
      expect(scheduler.pending).toBe(4);

      await follow(on.sessionEnded(endType, 's-1'));

      expect(scheduler.pending).toBe(1);
      await until(() => executed.length === 1);
      await sleep(50);
      expect(workIds()).toEqual(['s-2:t:1']);
    });

    it('counts what it owes by kind, a delivery once per outbox however many messages wait in it', async () => {
      await follow(
        on.inactivityTimer('s-1', 's-1:t:1', fromNow(60_000)),
        on.agentInvoked('s-1', 's-1:a:1', fromNow(60_000)),
        ...whatsAppSession('s-3'),
        on.stepTimer('s-3', 's-3:t:1', fromNow(60_000)),
        on.messageSent('s-3', 's-3:m:1', fromNow(60_000)),
        on.messageSent('s-3', 's-3:m:2', fromNow(60_000)),
      );
      expect(scheduler.owedByKind()).toEqual({ timer: 2, agent_request: 1, delivery: 1 });

      await follow(on.sessionEnded('SessionExpired', 's-1'));

      expect(scheduler.owedByKind()).toEqual({ timer: 1, agent_request: 0, delivery: 1 });
    });
  });

  describe('running work', () => {
    it('tries failed work again a second later, and forgets it once done', async () => {
      let attempts = 0;
      outcome = async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('event store unreachable');
      };
      await owe(on.sessionStarted('s-1'), on.stepTimer('s-1', 's-1:t:1', fromNow(-1_000)));

      await scheduler.start();
      await until(() => executed.length === 1);
      await sleep(500);
      expect(executed).toHaveLength(1);
      expect(scheduler.pending).toBe(1);

      await until(() => executed.length === 2, 2000);
      expect(executed[1].atMs - executed[0].atMs).toBeGreaterThanOrEqual(1000);
      expect(executed[1].command).toStrictEqual(executed[0].command);
      expect(errors).toEqual([expect.stringContaining('event store unreachable; retrying in 1000 ms')]);
      await until(() => scheduler.pending === 0);
      await sleep(50);
      expect(executed).toHaveLength(2);
    });

    it('does not try again work that failed after its session ended meanwhile', async () => {
      const { promise, resolve } = deferred();
      const failing = promise.then(() => {
        throw new Error('event store unreachable');
      });
      outcome = () => failing;
      await owe(on.sessionStarted('s-1'), on.stepTimer('s-1', 's-1:t:1', fromNow(-1_000)));
      await scheduler.start();
      await until(() => executed.length === 1);

      await follow(on.sessionEnded('SessionExpired', 's-1'));
      resolve();
      await failing.catch(() => undefined);

      await sleep(1200);
      expect(executed).toHaveLength(1);
      expect(scheduler.pending).toBe(0);
    });

    it('does not try again a delivery that failed after its outbox was settled meanwhile', async () => {
      const { promise, resolve } = deferred();
      const failing = promise.then(() => {
        throw new Error('provider unreachable');
      });
      outcome = () => failing;
      await scheduler.start();
      await follow(...whatsAppSession('s-1'), on.messageSent('s-1', 's-1:m:1'));
      await until(() => executed.length === 1);

      await follow(on.delivered('s-1', 's-1:m:1'));
      expect(scheduler.pending).toBe(0);
      resolve();
      await failing.catch(() => undefined);

      await sleep(1200);
      expect(executed).toHaveLength(1);
      expect(scheduler.pending).toBe(0);
    });

    it('never runs a piece twice at once: owed again while it runs, it runs once more after', async () => {
      const finish: (() => void)[] = [];
      let inFlight = 0;
      let mostInFlight = 0;
      outcome = async () => {
        const { promise, resolve } = deferred();
        finish.push(resolve);
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await promise;
        inFlight -= 1;
      };
      await scheduler.start();
      await follow(...whatsAppSession('s-1'), on.messageSent('s-1', 's-1:m:1'), on.messageSent('s-1', 's-1:m:2'));
      await until(() => executed.length === 1);

      // One message delivered, one left: the outbox is owed again, due at once, while its run goes on.
      await follow(on.delivered('s-1', 's-1:m:1'));
      expect(scheduler.pending).toBe(1);
      await sleep(50);
      expect(executed).toHaveLength(1);

      finish[0]();
      await until(() => executed.length === 2);
      expect(executed[1].command).toStrictEqual(new DeliverOutboxCommand('s-1', WORKSPACE, outboxWorkId('s-1')));
      expect(mostInFlight).toBe(1);

      finish[1]();
      await until(() => scheduler.pending === 0);
      await sleep(50);
      expect(executed).toHaveLength(2);
    });

    it('runs a piece owed again for later while it ran when it falls due, not when the run ends', async () => {
      const { promise, resolve } = deferred();
      outcome = () => (executed.length === 1 ? promise : Promise.resolve());
      await scheduler.start();
      await follow(...whatsAppSession('s-1'), on.messageSent('s-1', 's-1:m:1'));
      await until(() => executed.length === 1);

      const retryAt = fromNow(200);
      await follow(on.attemptFailed('s-1', 's-1:m:1', retryAt));
      resolve();
      await sleep(50);
      expect(executed).toHaveLength(1);
      expect(scheduler.pending).toBe(1);

      await until(() => executed.length === 2);
      expect(executed[1].atMs).toBeGreaterThanOrEqual(Date.parse(retryAt));
      expect(executed[1].command).toStrictEqual(new DeliverOutboxCommand('s-1', WORKSPACE, outboxWorkId('s-1')));
    });

    it('runs at most 32 pieces of work at once, starting the next as each one finishes', async () => {
      const running = new Map<string, () => void>();
      outcome = (command) => {
        const { promise, resolve } = deferred();
        running.set(command.workId, resolve);
        return promise;
      };
      const sessions = Array.from({ length: 40 }, (_, index) => `s-${index + 1}`);
      await owe(
        ...sessions.flatMap((sessionId) => [on.sessionStarted(sessionId), on.stepTimer(sessionId, `${sessionId}:t:1`, fromNow(-1_000))]),
      );

      await scheduler.start();
      await until(() => executed.length === 32);
      await sleep(50);
      expect(executed).toHaveLength(32);
      expect(scheduler.pending).toBe(40);

      running.get(workIds()[0])!();
      await until(() => executed.length === 33);
      await sleep(20);
      expect(executed).toHaveLength(33);

      for (const workId of workIds().slice(1)) running.get(workId)!();
      await until(() => executed.length === 40);
      for (const workId of workIds().slice(33)) running.get(workId)!();
      await until(() => scheduler.pending === 0);
      expect(new Set(workIds())).toEqual(new Set(sessions.map((sessionId) => `${sessionId}:t:1`)));
    });

    it('stops only once the work running has finished, and starts nothing after', async () => {
      const { promise, resolve } = deferred();
      outcome = () => promise;
      await owe(on.sessionStarted('s-1'), on.stepTimer('s-1', 's-1:t:1', fromNow(-1_000)));
      await scheduler.start();
      await until(() => executed.length === 1);

      let stopped = false;
      const stopping = scheduler.stop().then(() => {
        stopped = true;
      });
      await sleep(50);
      expect(stopped).toBe(false);

      resolve();
      await stopping;
      expect(stopped).toBe(true);

      await follow(on.sessionStarted('s-2'), on.agentInvoked('s-2', 's-2:a:1'));
      await sleep(50);
      expect(workIds()).toEqual(['s-1:t:1']);
    });
  });
});

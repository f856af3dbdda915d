import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { conversationStreamName } from '#domain';
import { SqliteEventStore } from '#eventstore';
import { SqliteReadModelStore } from '#readmodel';
import { Visitor, activeSessionsInLog, activeSessionsOf, eventually, flowOnWebchat } from './support/conversations.js';
import { newSecret, removeDir, spawnServer, temporaryDataDir } from './support/test-server.js';

const survey = [
  { id: 'welcome', type: 'send_message', text: 'Welcome' },
  { id: 'q1', type: 'ask_question', text: 'First question?', variable: 'first' },
  { id: 'q2', type: 'ask_question', text: 'Second question?', variable: 'second' },
  { id: 'summary', type: 'send_message', text: 'You said {{first}} and {{second}}' },
];
const patient = [
  { id: 'hold', type: 'send_message', text: 'Hold on' },
  { id: 'pause', type: 'wait', seconds: 3 },
  { id: 'back', type: 'send_message', text: 'Back again' },
];

/**
 * How far the engine had got when the server died, how far the log, and the texts the log holds
 * from each of `contacts` on `channelId`.
 */
const engineOnDisk = async (dataDir: string, channelId: string, contacts: readonly string[]) => {
  const events = SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
  const readModel = SqliteReadModelStore.open({ file: join(dataDir, 'read-models.sqlite') });
  try {
    const recorded = await Promise.all(
      contacts.map(async (contactId) =>
        (await events.readStream(conversationStreamName(channelId, contactId)))
          .filter((event) => event.type === 'MessageReceived')
          .map((event) => event.data.text),
      ),
    );
    return { checkpoint: await readModel.getCheckpoint('session-engine'), head: await events.headPosition(), recorded };
  } finally {
    await events.close();
    await readModel.close();
  }
};

describe('kill -9 of the server in the middle of conversations', () => {
  const dataDir = temporaryDataDir();
  const secret = newSecret();
  // Twenty visitors at once, all on this machine's one address, each polling its transcript.
  const env = { RATE_LIMIT_WEBCHAT_ADDRESS: 'unlimited' };
  afterAll(() => removeDir(dataDir));

  it('resumes every conversation where it stood: counts unchanged, nothing sent twice, timers still fire', async () => {
    const first = await spawnServer(dataDir, secret, env);
    const { workflowId, channelId } = await flowOnWebchat(first.api, survey);
    const waiting = await flowOnWebchat(first.api, patient);
    const visitors = Array.from({ length: 20 }, () => new Visitor(first.api, channelId));
    await Promise.all(visitors.map((visitor) => visitor.say('hi')));
    await Promise.all(visitors.map((visitor) => visitor.awaitReplies(2)));
    const sleeper = new Visitor(first.api, waiting.channelId);
    await sleeper.say('hi');
    await sleeper.awaitReplies(1);
    expect(
      await eventually(
        () => activeSessionsOf(first.api, workflowId),
        (count) => count === 20,
      ),
    ).toBe(20);

    // Every visitor answers; the server dies at the tenth acknowledgement, while the engine is
    // working through the answers (killed at once, not at the next poll: the engine is quick).
    let acknowledgedSoFar = 0;
    const answered = visitors.map((visitor, index) =>
      visitor
        .say(`answer ${index}`)
        .then((outcome) => {
          acknowledgedSoFar += 1;
          if (acknowledgedSoFar === 10) first.process.kill('SIGKILL');
          return outcome;
        })
        .catch(() => undefined /* the connection died with the server */),
    );
    await first.exited;
    await Promise.all(answered);
    const crashed = await engineOnDisk(
      dataDir,
      channelId,
      visitors.map(({ contactId }) => contactId),
    );
    // The engine had not handled everything the log held: the restart has work to resume.
    expect(BigInt(crashed.checkpoint ?? 0)).toBeLessThan(BigInt(crashed.head ?? 0));

    // Down for longer than the wait step: its timer is due when the server comes back.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const second = await spawnServer(dataDir, secret, env);
    try {
      const again = visitors.map((visitor) => new Visitor(second.api, channelId, visitor.contactId));
      expect(await activeSessionsOf(second.api, workflowId)).toBe(20);
      // Answers the first server never recorded are sent again, as a client would. One it recorded
      // but died before acknowledging is in the log: the restart must answer it, once.
      const lost = (index: number) => !crashed.recorded[index].includes(`answer ${index}`);
      await Promise.all(again.map((visitor, index) => (lost(index) ? visitor.say(`answer ${index}`) : Promise.resolve())));
      await Promise.all(again.map((visitor) => visitor.awaitReplies(3, 20_000)));
      await Promise.all(again.map((visitor, index) => visitor.say(`second ${index}`)));
      for (const [index, visitor] of again.entries()) {
        const replies = await visitor.awaitReplies(4, 20_000);
        expect(replies).toEqual(['Welcome', 'First question?', 'Second question?', `You said answer ${index} and second ${index}`]);
        const outbound = (await visitor.transcript()).filter((message) => message.direction === 'outbound');
        expect(new Set(outbound.map((message) => message.id)).size).toBe(outbound.length);
      }
      expect(
        await eventually(
          () => activeSessionsOf(second.api, workflowId),
          (count) => count === 0,
        ),
      ).toBe(0);
      expect(activeSessionsInLog(dataDir, workflowId).size).toBe(0);

      const woken = new Visitor(second.api, waiting.channelId, sleeper.contactId);
      expect(await woken.awaitReplies(2, 10_000)).toEqual(['Hold on', 'Back again']);
      // Give a wrongly repeated reaction time to show up before the final count.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await woken.replies()).toEqual(['Hold on', 'Back again']);
    } finally {
      second.process.kill('SIGKILL');
      await second.exited;
    }
  }, 60_000);
});

/**
 * `npm run bench`: throughput of the embedded event store, of the session engine end to end, and
 * of rebuilding read models, measured side by side in one run on this machine. The machine is
 * shared and noisy: compare the ratios, not the absolute figures, between runs.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type NewEvent, SqliteEventStore } from '#eventstore';
import { SqliteReadModelStore } from '#readmodel';
import { Progress } from '../../apps/cli/src/progress.js';
import { rebuildProjections } from '../../apps/cli/src/rebuild.js';
import { ALL_PROJECTIONS } from '../../apps/server/src/infrastructure/projections.catalog.js';
import { Visitor, engineReached, flowOnWebchat } from '../support/conversations.js';
import { removeDir, startInProcessServer, temporaryDataDir } from '../support/test-server.js';

const APPENDS = 2000;
const VISITORS = 200;

const event = (): NewEvent => ({
  id: randomUUID(),
  type: 'BenchmarkTicked',
  data: { at: Date.now() },
  metadata: { correlationId: 'bench', causationId: 'bench', actor: { sub: 'bench', role: 'system' }, occurredAt: new Date().toISOString(), workspace: 'bench' },
});

const perSecond = (count: number, startedAt: number): number => count / ((performance.now() - startedAt) / 1000);

/** One append at a time, each waiting for its fsync, against the same number arriving together (group commit). */
async function appendThroughput(dataDir: string): Promise<{ oneByOne: number; together: number }> {
  const store = SqliteEventStore.open({ file: join(dataDir, 'bench-events.sqlite') });
  try {
    const progress = new Progress('appends one by one', APPENDS, 'appends');
    let started = performance.now();
    for (let index = 0; index < APPENDS; index++) {
      await store.appendToStream(`bench-${randomUUID()}`, [event()], { expectedRevision: 'no_stream' });
      if (index % 100 === 0) progress.update(index);
    }
    const oneByOne = perSecond(APPENDS, started);
    progress.finish(`${Math.round(oneByOne)} appends/s`);
    const together = new Progress('appends arriving together', APPENDS, 'appends');
    started = performance.now();
    let done = 0;
    await Promise.all(
      Array.from({ length: APPENDS }, () =>
        store.appendToStream(`bench-${randomUUID()}`, [event()], { expectedRevision: 'no_stream' }).then(() => {
          done += 1;
          if (done % 100 === 0) together.update(done);
        }),
      ),
    );
    const concurrent = perSecond(APPENDS, started);
    together.finish(`${Math.round(concurrent)} appends/s`);
    return { oneByOne, together: concurrent };
  } finally {
    await store.close();
  }
}

/** Visitors writing at once to a web chat channel, until the engine has answered every one. */
async function conversationThroughput(dataDir: string): Promise<number> {
  const server = await startInProcessServer(dataDir);
  try {
    const { channelId } = await flowOnWebchat(server.api, [
      { id: 'hello', type: 'send_message', text: 'Hello {{contact.name}}' },
      { id: 'ask', type: 'ask_question', text: 'Your email?', variable: 'email', answerType: 'email' },
    ]);
    const visitors = Array.from({ length: VISITORS }, () => new Visitor(server.api, channelId));
    const progress = new Progress('first messages handled by the session engine', VISITORS, 'messages');
    const started = performance.now();
    const positions = await Promise.all(visitors.map((visitor) => visitor.say('hi', 'Ada')));
    const last = positions.map(({ position }) => BigInt(position)).reduce((a, b) => (a > b ? a : b));
    // The engine's reply events follow the last message: wait for those too.
    await engineReached(server.api, String(last), 60_000);
    for (let replied = 0; replied < VISITORS; ) {
      replied = 0;
      for (const visitor of visitors) if ((await visitor.replies()).length >= 2) replied += 1;
      progress.update(replied);
    }
    const rate = perSecond(VISITORS, started);
    progress.finish(`${VISITORS} sessions started and answered, ${Math.round(rate)} messages/s`);
    return rate;
  } finally {
    await server.close();
  }
}

/** Rebuilding every projection from the log the conversations left. */
async function replayThroughput(dataDir: string): Promise<number> {
  const events = SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
  const scratch = SqliteReadModelStore.open({ file: join(dataDir, 'bench-rebuild.sqlite') });
  try {
    const started = performance.now();
    const applied = await rebuildProjections(events, scratch, ALL_PROJECTIONS, 'replay of the conversations');
    return perSecond(applied, started);
  } finally {
    await events.close();
    await scratch.close();
  }
}

const main = async () => {
  const dataDir = temporaryDataDir();
  try {
    const appends = await appendThroughput(dataDir);
    const messages = await conversationThroughput(dataDir);
    const replay = await replayThroughput(dataDir);
    const rows: [string, number][] = [
      ['appends one by one (fsync each)', appends.oneByOne],
      ['appends arriving together (group commit)', appends.together],
      ['web chat messages answered by the engine', messages],
      ['events replayed into all projections', replay],
    ];
    process.stdout.write('\nper second, this run:\n');
    for (const [what, rate] of rows) process.stdout.write(`  ${what.padEnd(44)} ${Math.round(rate).toLocaleString('en').padStart(8)}\n`);
    process.stdout.write('ratios, this run:\n');
    process.stdout.write(`  group commit / one by one                    ${(appends.together / appends.oneByOne).toFixed(1)}x\n`);
    process.stdout.write(`  engine messages / appends one by one         ${(messages / appends.oneByOne).toFixed(3)}\n`);
    process.stdout.write(`  replayed events / appends one by one         ${(replay / appends.oneByOne).toFixed(1)}x\n`);
  } finally {
    removeDir(dataDir);
  }
};

await main();

/**
 * Web chat contacts answered by the session engine, end to end over HTTP: the contacts in a child
 * process, the server in this one so that its event loop's delay can be watched under the load.
 * Then the same once the workspace holds many more messages.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { Progress } from '../../apps/cli/src/progress.js';
import { flowOnWebchat } from '../support/conversations.js';
import type { Api, InProcessServer } from '../support/test-server.js';
import { type Metric, type Metrics, measured, missing } from './bench-report.js';
import { runChildScript } from './child-script.js';
import { recordContactMessages } from './conversation-preload.js';
import type { ContactsLoadInput, ContactsLoadResult } from './web-chat-contacts.js';

export interface SessionBenchSizes {
  contacts: number;
  messagesPerContact: number;
  /** Messages recorded in the workspace before the second run. */
  preloadedMessages: number;
  /** How long the engine and projections may take to catch up with the preload. */
  catchUpTimeoutMs: number;
}

/** Each of a contact's five messages gets a reply: a greeting and a question, then the next question. */
const ANSWERED_FLOW = [
  { id: 'hello', type: 'send_message', text: 'Hello {{contact.name}}' },
  ...[1, 2, 3, 4, 5].map((question) => ({
    id: `q${question}`,
    type: 'ask_question',
    text: `Question ${question}?`,
    variable: `answer${question}`,
    answerType: 'text',
  })),
];

const REPLY_TIMEOUT_MS = 60_000;

const percentile = (ascending: readonly number[], share: number): number =>
  ascending[Math.min(ascending.length - 1, Math.max(0, Math.ceil(share * ascending.length) - 1))] ?? NaN;

interface ContactsRun {
  result: ContactsLoadResult;
  messagesPerSecond: number;
  eventLoopDelayP99Ms: number;
}

async function runContacts(api: Api, channelId: string, sizes: SessionBenchSizes): Promise<ContactsRun> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const input: ContactsLoadInput = {
    baseUrl: api.baseUrl,
    channelId,
    contacts: sizes.contacts,
    messagesPerContact: sizes.messagesPerContact,
    replyTimeoutMs: REPLY_TIMEOUT_MS,
  };
  delay.enable();
  const result = await runChildScript<ContactsLoadResult>(
    './web-chat-contacts.js',
    input,
    REPLY_TIMEOUT_MS * sizes.messagesPerContact + 60_000,
  );
  delay.disable();
  const messagesPerSecond = result.answered / (result.elapsedMs / 1000);
  process.stderr.write(
    `${result.answered} messages answered at ${Math.round(messagesPerSecond)}/s, p50 ${percentile(result.latenciesMs, 0.5).toFixed(0)} ms, p99 ${percentile(result.latenciesMs, 0.99).toFixed(0)} ms` +
      (result.unanswered > 0 ? `; ${result.unanswered} unanswered, first: ${result.firstFailure}` : '') +
      '\n',
  );
  return { result, messagesPerSecond, eventLoopDelayP99Ms: delay.percentile(99) / 1e6 };
}

/** A latency percentile, only when every message was answered: a partial run would flatter it. */
const latency = ({ result }: ContactsRun, share: number): Metric =>
  result.unanswered === 0
    ? measured(percentile(result.latenciesMs, share), 'ms')
    : missing('ms', `${result.unanswered} of ${result.answered + result.unanswered} messages got no reply (${result.firstFailure})`);

interface Health {
  logPosition: string | null;
  projections: Record<string, { position?: string }>;
  engine?: { position?: string };
}

/** Waits until the engine and every projection have handled the log up to its head. */
async function catchUp(api: Api, timeoutMs: number): Promise<boolean> {
  const behind = (health: Health): number => {
    const head = Number(health.logPosition ?? 0);
    const reached = [health.engine?.position, ...Object.values(health.projections).map(({ position }) => position)].map((position) =>
      Number(position ?? 0),
    );
    return head - Math.min(...reached);
  };
  const read = async () => (await api.request<Health>('GET', '/health', { token: null })).body;
  const backlog = behind(await read());
  const progress = new Progress('engine and projections catching up', backlog, 'events');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = await read();
    const left = behind(health);
    progress.update(Math.max(backlog - left, 0));
    if (left <= 0) break;
    if (Date.now() > deadline) {
      progress.finish(`still ${left.toLocaleString('en')} events behind`);
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  progress.finish(`caught up at position ${(await read()).logPosition}`);
  return true;
}

/** The metrics, and the channel the preload wrote to (a log topped up later can go on there). */
export async function sessionMetrics(
  server: InProcessServer,
  sizes: SessionBenchSizes,
): Promise<{ metrics: Metrics; preloadChannelId: string }> {
  const { api } = server;
  const { channelId } = await flowOnWebchat(api, ANSWERED_FLOW, { name: 'Bench: answered flow' });
  const fresh = await runContacts(api, channelId, sizes);

  // Another channel of the same workspace, with no workflow: its messages are recorded and
  // projected into transcripts, and the engine routes each of them (to nowhere).
  const staffed = await api.request('POST', '/channels', { body: { type: 'webchat', name: 'Staffed chat' } });
  if (staffed.status !== 201) throw new Error(`creating the preload channel failed: ${JSON.stringify(staffed.body)}`);
  process.stderr.write(
    `preloading ${sizes.preloadedMessages.toLocaleString('en')} messages through the server's event store (not over HTTP)\n`,
  );
  await recordContactMessages(server.app.get<EventStore>(EVENT_STORE), staffed.body.id, sizes.preloadedMessages, 'preloaded messages');
  const caughtUp = await catchUp(api, sizes.catchUpTimeoutMs);
  const loaded = caughtUp ? await runContacts(api, channelId, sizes) : undefined;

  const metrics: Metrics = {
    'session.throughput.messages_per_s': measured(fresh.messagesPerSecond, 'messages/s'),
    'session.reply_latency.p50_ms': latency(fresh, 0.5),
    'session.reply_latency.p99_ms': latency(fresh, 0.99),
    'eventloop.delay.p99_ms': measured(fresh.eventLoopDelayP99Ms, 'ms'),
    'session.reply_latency_at_100k.p99_ms': loaded
      ? latency(loaded, 0.99)
      : missing('ms', `the engine and projections had not caught up with the preload within ${sizes.catchUpTimeoutMs / 1000} s`),
  };
  return { metrics, preloadChannelId: staffed.body.id };
}

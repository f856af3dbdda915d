import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Api, ApiResponse } from './test-server.js';

export interface TranscriptMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  text: string;
  at: string;
  choices?: { label: string; value: string }[];
}

/** A greeting, a choice question (Orders / Returns) and a reply naming the choice: channel tests' flow. */
export const TOPIC_CHOICE_FLOW = [
  { id: 'welcome', type: 'send_message', text: 'Hi {{contact.name}}!' },
  {
    id: 'topic',
    type: 'ask_question',
    text: 'What can we do for you?',
    variable: 'topic',
    answerType: 'choice',
    options: [
      { label: 'Orders', value: 'orders' },
      { label: 'Returns', value: 'returns' },
    ],
  },
  { id: 'thanks', type: 'send_message', text: 'Noted: {{topic}}' },
];

/** Polls `read` until `done` holds for what it returns; fails with the last value after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last value: ${JSON.stringify(value, null, 2)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A workflow with `steps` published, on a new web chat channel; `token` picks the admin. */
export async function flowOnWebchat(
  api: Api,
  steps: unknown[],
  options: { settings?: unknown; token?: string; name?: string } = {},
): Promise<{ workflowId: string; channelId: string }> {
  const { token } = options;
  const workflow = await api.request('POST', '/workflows', { body: { name: options.name ?? 'Flow' }, token });
  const workflowId = workflow.body.id as string;
  const published = await api.request('PUT', `/workflows/${workflowId}/definition`, {
    body: { steps, ...(options.settings ? { settings: options.settings } : {}) },
    token,
  });
  if (published.status !== 200) throw new Error(`publishing failed: ${JSON.stringify(published.body)}`);
  const channel = await api.request('POST', '/channels', { body: { type: 'webchat', name: 'Site chat' }, token });
  const channelId = channel.body.id as string;
  const assigned = await api.request('PUT', `/channels/${channelId}/workflow`, { body: { workflowId }, token });
  if (assigned.status !== 200) throw new Error(`assigning failed: ${JSON.stringify(assigned.body)}`);
  return { workflowId, channelId };
}

/** What a visitor needs of a client: web chat routes are public, so it never sends a token. */
export interface WebchatClient {
  request<T = any>(method: string, path: string, options: { body?: unknown; token: null }): Promise<ApiResponse<T>>;
}

/** A visitor of one web chat channel: says things and reads the conversation back. */
export class Visitor {
  constructor(
    private readonly api: WebchatClient,
    readonly channelId: string,
    readonly contactId: string = `visitor-${randomUUID()}`,
  ) {}

  async say(text: string, contactName?: string): Promise<{ messageId: string; position: string }> {
    const response = await this.api.request('POST', `/webchat/${this.channelId}/messages`, {
      body: { contactId: this.contactId, text, ...(contactName ? { contactName } : {}) },
      token: null,
    });
    if (response.status !== 202) throw new Error(`message refused: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async transcript(): Promise<TranscriptMessage[]> {
    const response = await this.api.request('GET', `/webchat/${this.channelId}/contacts/${this.contactId}/messages`, { token: null });
    if (response.status !== 200) throw new Error(`transcript refused: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.items;
  }

  /** The texts sent to the visitor so far. */
  async replies(): Promise<string[]> {
    return (await this.transcript()).filter((message) => message.direction === 'outbound').map((message) => message.text);
  }

  /** Waits until the visitor has had `count` replies in all, and returns them all. */
  async awaitReplies(count: number, timeoutMs?: number): Promise<string[]> {
    return eventually(
      () => this.replies(),
      (replies) => replies.length >= count,
      timeoutMs,
    );
  }
}

/** The workflow's card as the list shows it. */
export async function activeSessionsOf(api: Api, workflowId: string, token?: string): Promise<number> {
  const response = await api.request('GET', `/workflows/${workflowId}`, { token });
  return response.body.activeSessions as number;
}

/** Waits until the session engine has handled the log up to `position` (embedded store: decimal positions). */
export async function engineReached(api: Api, position: string, timeoutMs = 10_000): Promise<void> {
  await eventually(
    async () => (await api.request('GET', '/health', { token: null })).body.engine?.position as string | undefined,
    (reached) => reached !== undefined && BigInt(reached) >= BigInt(position),
    timeoutMs,
  );
}

/** Sessions of a workflow still active according to the log itself: started and not yet ended. */
export function activeSessionsInLog(dataDir: string, workflowId: string): Set<string> {
  const log = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const rows = log.prepare(`SELECT type, data FROM events WHERE stream_name LIKE 'session-%' ORDER BY position`).all() as {
      type: string;
      data: string;
    }[];
    const active = new Set<string>();
    for (const { type, data } of rows) {
      const event = JSON.parse(data) as { sessionId: string; workflowId?: string };
      if (type === 'SessionStarted' && event.workflowId === workflowId) active.add(event.sessionId);
      if (['SessionCompleted', 'SessionDeactivated', 'SessionExpired', 'SessionTerminated'].includes(type)) active.delete(event.sessionId);
    }
    return active;
  } finally {
    log.close();
  }
}

/** The data of every event of `type` in the embedded log of `dataDir`, in log order. */
export function eventsOfType(dataDir: string, type: string): any[] {
  const log = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const rows = log.prepare('SELECT data FROM events WHERE type = ? ORDER BY position').all(type) as { data: string }[];
    return rows.map((row) => JSON.parse(row.data));
  } finally {
    log.close();
  }
}

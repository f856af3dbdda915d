import { describeError, postJson, redact, truncate } from '../http/json-post.js';
import { isRecord } from '../json-values.js';

export interface AiAgentConfig {
  url: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
}

/** One line of the conversation so far, oldest first. */
export interface AgentHistoryEntry {
  role: 'customer' | 'agent';
  text: string;
}

export interface AgentTurnRequest {
  /** Idempotency key: sent as header `Idempotency-Key` so a retried turn is not answered twice. */
  requestId: string;
  /** The step's instructions, sent as the system message. */
  instructions: string;
  history: AgentHistoryEntry[];
}

/** A reply; `handoff` when the agent asked for humans, with the reason it gave, if any. */
export type AgentOutcome = { kind: 'reply'; text: string; handoff: false | { reason?: string } } | { kind: 'failure'; reason: string };

/** Never throws: every problem is a failure outcome whose reason says what happened (no secrets in it). */
export interface AiAgent {
  respond(request: AgentTurnRequest): Promise<AgentOutcome>;
}

export const DEFAULT_AI_AGENT_TIMEOUT_MS = 20_000;
export const DEFAULT_AI_AGENT_MODEL = 'gpt-4o-mini';

const AGENT_NAME = 'the AI agent';
const HANDOFF_TOOL_NAME = 'handoff_to_human';
const CHAT_COMPLETIONS_PATH = '/chat/completions';
const MAX_SERVER_MESSAGE_LENGTH = 200;
const MAX_HANDOFF_REASON_LENGTH = 300;
const UNCONFIGURED_REASON = `${AGENT_NAME} is not configured (AI_AGENT_URL is not set)`;

const HANDOFF_TOOL = {
  type: 'function',
  function: {
    name: HANDOFF_TOOL_NAME,
    description: 'Hand the conversation to a human team when the customer asks for a person or you cannot help',
    parameters: {
      type: 'object',
      properties: { reason: { type: 'string', description: 'Why a human should take over' } },
      required: ['reason'],
    },
  },
} as const;

type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/** The part of a chat-completions answer this client reads. */
interface AssistantMessage {
  content: string | null;
  toolCalls: { name: string; arguments: unknown }[];
}

/** Accepts a base URL (`https://host/v1`) or the full chat-completions endpoint. */
const chatCompletionsEndpoint = (url: string): string => {
  const base = url.trim().replace(/\/+$/, '');
  return base.endsWith(CHAT_COMPLETIONS_PATH) ? base : `${base}${CHAT_COMPLETIONS_PATH}`;
};

/** `{error: "…"}` or `{error: {message: "…"}}`, as OpenAI-compatible servers answer a failure. */
const serverErrorMessage = (body: unknown): string | undefined => {
  if (!isRecord(body)) return undefined;
  if (typeof body.error === 'string') return body.error;
  if (isRecord(body.error) && typeof body.error.message === 'string') return body.error.message;
  return undefined;
};

const readAssistantMessage = (payload: unknown): AssistantMessage | undefined => {
  if (!isRecord(payload) || !Array.isArray(payload.choices)) return undefined;
  const choice: unknown = payload.choices[0];
  if (!isRecord(choice) || !isRecord(choice.message)) return undefined;
  const { content, tool_calls: toolCalls } = choice.message;
  if (content !== undefined && content !== null && typeof content !== 'string') return undefined;
  if (toolCalls !== undefined && toolCalls !== null && !Array.isArray(toolCalls)) return undefined;
  const calls = (toolCalls ?? []).flatMap((call: unknown) =>
    isRecord(call) && isRecord(call.function) && typeof call.function.name === 'string'
      ? [{ name: call.function.name, arguments: call.function.arguments }]
      : [],
  );
  return { content: content ?? null, toolCalls: calls };
};

/**
 * The reason a hand-off call gives: its arguments are JSON text written by the model, so anything
 * else (no JSON, no string, blank) is a hand-off without a reason, never a failed turn.
 */
const handoffReason = (toolArguments: unknown): string | undefined => {
  if (typeof toolArguments !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(toolArguments);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || typeof parsed.reason !== 'string') return undefined;
  // One line of plain text: it is shown to the team that takes over, beside the session.
  const reason = parsed.reason.replace(/[\p{Cc}\p{Cs}]+/gu, ' ').trim();
  return reason === '' ? undefined : truncate(reason, MAX_HANDOFF_REASON_LENGTH);
};

export class OpenAiCompatibleAgent implements AiAgent {
  private readonly endpoint: string;
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly config: AiAgentConfig,
    fetchImpl: typeof fetch = fetch,
  ) {
    this.endpoint = chatCompletionsEndpoint(config.url);
    this.fetchImpl = fetchImpl;
  }

  async respond(request: AgentTurnRequest): Promise<AgentOutcome> {
    try {
      return await this.exchange(request);
    } catch (error) {
      return this.failure(`${AGENT_NAME} client failed: ${describeError(error)}`);
    }
  }

  private async exchange(request: AgentTurnRequest): Promise<AgentOutcome> {
    const answer = await postJson(
      {
        url: this.endpoint,
        headers: this.headers(request.requestId),
        body: this.requestBody(request),
        timeoutMs: this.config.timeoutMs,
        peerName: AGENT_NAME,
        secret: this.config.apiKey,
      },
      this.fetchImpl,
    );
    if (answer.kind === 'unreachable') return this.failure(answer.reason);

    const { status, body } = answer;
    if (status < 200 || status > 299) {
      const message = serverErrorMessage(body);
      // Redact before truncating so a key cut in half cannot slip through.
      const detail = message ? `: ${truncate(this.redact(message), MAX_SERVER_MESSAGE_LENGTH)}` : '';
      return this.failure(`${AGENT_NAME} answered HTTP ${status}${detail}`);
    }
    if (body === undefined) return this.failure(`${AGENT_NAME} answered HTTP ${status} with a body that is not JSON`);

    const message = readAssistantMessage(body);
    if (!message) return this.failure(`${AGENT_NAME} answered without a readable choices[0].message`);

    const handoff = message.toolCalls.find(({ name }) => name === HANDOFF_TOOL_NAME);
    if (handoff) {
      const reason = handoffReason(handoff.arguments);
      return { kind: 'reply', text: message.content ?? '', handoff: reason === undefined ? {} : { reason } };
    }
    if (message.content && message.content.trim() !== '') {
      return { kind: 'reply', text: message.content, handoff: false };
    }
    return this.failure(`${AGENT_NAME} answered with an empty reply`);
  }

  private headers(requestId: string): Record<string, string> {
    const headers: Record<string, string> = { 'Idempotency-Key': requestId };
    if (this.config.apiKey) headers.Authorization = `Bearer ${this.config.apiKey}`;
    return headers;
  }

  private requestBody(request: AgentTurnRequest) {
    const messages: ChatMessage[] = [
      { role: 'system', content: request.instructions },
      ...request.history.map((entry): ChatMessage => ({ role: entry.role === 'customer' ? 'user' : 'assistant', content: entry.text })),
    ];
    return { model: this.config.model, messages, tools: [HANDOFF_TOOL], tool_choice: 'auto' };
  }

  /** Servers and network errors may echo the key back; it must never reach a reason. */
  private redact(text: string): string {
    return redact(text, this.config.apiKey);
  }

  private failure(reason: string): AgentOutcome {
    return { kind: 'failure', reason: this.redact(reason) };
  }
}

/** Used when AI_AGENT_URL is not set: every request fails with a reason saying so. */
export class UnconfiguredAgent implements AiAgent {
  respond(_request: AgentTurnRequest): Promise<AgentOutcome> {
    return Promise.resolve({ kind: 'failure', reason: UNCONFIGURED_REASON });
  }
}

const parseUrl = (value: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value itself is left out: it may carry credentials.
    throw new Error('AI_AGENT_URL must be an http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`AI_AGENT_URL must be an http or https URL; got the ${url.protocol.slice(0, -1)} scheme`);
  }
  return value;
};

const parseTimeout = (value: string | undefined): number => {
  if (value === undefined || value.trim() === '') return DEFAULT_AI_AGENT_TIMEOUT_MS;
  const trimmed = value.trim();
  const timeoutMs = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`AI_AGENT_TIMEOUT_MS must be a positive whole number of milliseconds; got "${value}"`);
  }
  return timeoutMs;
};

/**
 * Reads AI_AGENT_URL, AI_AGENT_API_KEY, AI_AGENT_MODEL and AI_AGENT_TIMEOUT_MS.
 * Undefined when AI_AGENT_URL is unset or empty; throws an Error naming the variable for a bad value
 * of any of them, set or not.
 */
export function loadAiAgentConfig(env: Record<string, string | undefined>): AiAgentConfig | undefined {
  // Checked without a URL too: a typo should not wait to be found until the agent is configured.
  const timeoutMs = parseTimeout(env.AI_AGENT_TIMEOUT_MS);
  const url = env.AI_AGENT_URL?.trim();
  if (!url) return undefined;
  const apiKey = env.AI_AGENT_API_KEY?.trim();
  return {
    url: parseUrl(url),
    ...(apiKey ? { apiKey } : {}),
    model: env.AI_AGENT_MODEL?.trim() || DEFAULT_AI_AGENT_MODEL,
    timeoutMs,
  };
}

export function createAiAgent(config: AiAgentConfig | undefined): AiAgent {
  return config ? new OpenAiCompatibleAgent(config) : new UnconfiguredAgent();
}

/** Nest injection token of the process's `AiAgent`. */
export const AI_AGENT = Symbol('AI_AGENT');

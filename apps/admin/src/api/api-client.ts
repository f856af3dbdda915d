import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './openapi-schema.js';

/**
 * The console's client of the API, typed from docs/openapi.json: `npm run build:console` generates
 * openapi-schema.d.ts from it, so a page that reads a field the contract does not have fails to compile.
 */
export type ApiClient = Client<paths>;

/** The document's schemas by name: what the pages show comes from here, not from copies of it. */
export type Schemas = components['schemas'];

export type DefinitionProblem = Schemas['DefinitionProblemDto'];

/** A refusal in words: the status, the server's message, and each problem of a rejected definition. */
/** What an error body or its headers add to the message, where the API says more. */
export interface ApiErrorDetails {
  /** A refused definition's problems, each on its step. */
  problems?: DefinitionProblem[];
  /** How long the server asked to be left alone (`Retry-After`, on a 429 or 503), if it said. */
  retryAfterMs?: number;
  /** A 409 for a stale `expectedVersion`: the workflow's version now. */
  currentVersion?: number;
}

export class ApiError extends Error {
  readonly problems: DefinitionProblem[];
  readonly retryAfterMs?: number;
  readonly currentVersion?: number;

  constructor(
    readonly status: number,
    message: string,
    details: ApiErrorDetails = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.problems = details.problems ?? [];
    this.retryAfterMs = details.retryAfterMs;
    this.currentVersion = details.currentVersion;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The error body's `message` (a string or a list of strings), or the status when there is none to show. */
const errorText = (status: number, body: unknown): string => {
  if (isObject(body)) {
    const { message } = body;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string' && message !== '') return message;
  }
  if (status === 0) return 'The server cannot be reached. Check your connection and try again.';
  return `The server answered ${status}.`;
};

/** The `problems` of the error body (ErrorResponseDto) that refuses a definition, and the `currentVersion` of a stale one. */
const detailsIn = (body: unknown): ApiErrorDetails => ({
  problems: isObject(body) && Array.isArray(body.problems) ? (body.problems as DefinitionProblem[]) : [],
  currentVersion: isObject(body) && Number.isInteger(body.currentVersion) ? (body.currentVersion as number) : undefined,
});

/** `Retry-After` as seconds or as an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
const retryAfterMsOf = (response: Response): number | undefined => {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(at - Date.now(), 0);
};

/** A Retry-After beyond this (an hour-long limit window, a confused proxy) is taken as this: the client asks again and is told again. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** How long `error` asks the caller to wait before trying again: its Retry-After, capped; 0 when it says nothing. */
export const retryAfterMsAsked = (error: unknown): number =>
  error instanceof ApiError ? Math.min(error.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS) : 0;

const bodyOf = async (response: Response): Promise<unknown> => {
  const text = await response.text().catch(() => '');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

export type Unauthorized = (reason: string) => void;

/**
 * Every request carries the bearer token; every refusal rejects with an ApiError (a 401 to a
 * signed-in user also signs them out, with the server's reason), and an unreachable server is
 * status 0. A request its signal aborted rejects with the abort error, as fetch does.
 */
const consoleMiddleware = (token: string | null, onUnauthorized: Unauthorized): Middleware => ({
  onRequest({ request }) {
    if (!request.headers.has('accept')) request.headers.set('accept', 'application/json');
    if (token !== null) request.headers.set('authorization', `Bearer ${token}`);
  },
  async onResponse({ response }) {
    if (response.ok) return undefined;
    const body = await bodyOf(response);
    const message = errorText(response.status, body);
    if (response.status === 401 && token !== null) onUnauthorized(message);
    throw new ApiError(response.status, message, { ...detailsIn(body), retryAfterMs: retryAfterMsOf(response) });
  },
  onError({ request }) {
    // Nothing returned: the abort error goes on as it is.
    return request.signal.aborted ? undefined : new ApiError(0, errorText(0, undefined));
  },
});

export const createApiClient = (token: string | null, onUnauthorized: Unauthorized): ApiClient => {
  const client = createClient<paths>();
  client.use(consoleMiddleware(token, onUnauthorized));
  return client;
};

/** What openapi-fetch resolves to: `{ data }` for a success, `{ error }` for a refusal. */
interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The data of the success member (the one where `data` is not optional). */
type SuccessData<A> = A extends { data: infer T } ? T : never;

/**
 * The data of an answer, typed as the document declares it for the success. Only successes get
 * here: the middleware rejects every refusal with an ApiError before openapi-fetch would answer `{ error }`.
 */
export const dataOf = <A extends Answer>({ data }: A): SuccessData<A> => data as SuccessData<A>;

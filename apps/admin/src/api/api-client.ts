/** The console's JSON client: the bearer token in the Authorization header, errors as words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Nest's `{statusCode, message, error}`: `message` is a string or a list of strings. */
export const errorText = (status: number, body: unknown): string => {
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const { message } = body;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string' && message !== '') return message;
  }
  if (status === 0) return 'The server cannot be reached. Check your connection and try again.';
  return `The server answered ${status}.`;
};

export type Unauthorized = (reason: string) => void;

export interface ApiClient {
  /** `signal` cancels the request (a long poll the page no longer needs): it then rejects with the abort error. */
  get<T>(path: string, options?: { signal?: AbortSignal }): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** A raw fetch with the same headers, for streams. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export const createApiClient = (token: string | null, onUnauthorized: Unauthorized): ApiClient => {
  const headers = (extra?: HeadersInit): Headers => {
    const all = new Headers(extra);
    if (!all.has('accept')) all.set('accept', 'application/json');
    if (token !== null) all.set('authorization', `Bearer ${token}`);
    return all;
  };
  const request = async <T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: headers(body === undefined ? undefined : { 'content-type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError(0, errorText(0, undefined), undefined);
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!response.ok) {
      const message = errorText(response.status, parsed);
      if (response.status === 401 && token !== null) onUnauthorized(message);
      throw new ApiError(response.status, message, parsed);
    }
    return parsed as T;
  };
  return {
    get: (path, options) => request('GET', path, undefined, options?.signal),
    send: (method, path, body) => request(method, path, body),
    fetch: (path, init) => fetch(path, { ...init, headers: headers(init?.headers) }),
  };
};

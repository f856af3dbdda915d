import { AccessDeniedError, MaxAppendSizeExceededError, UnknownError } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { constants, createServer, type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import { AppendTooLargeError } from '../append-too-large.error.js';
import { BackendAccessDeniedError } from '../backend-access-denied.error.js';
import { eventFixture } from '../event-store.contract.js';
import { StoreUnavailableError } from '../store-unavailable.error.js';
import { isAccessDenied, isEsdbOutage, translateAppendError, translateEsdbError } from './esdb-error.mapping.js';
import { EsdbEventStore } from './esdb-event-store.js';

const ADDRESS = 'esdb://db.internal:2113?tls=true';

/** A gRPC error as grpc-js hands it over: an Error with the status code and its details. */
const grpcError = (code: number, details: string): Error => Object.assign(new Error(`${code} ${details}`), { code, details });

describe('mapping EventStoreDB client errors', () => {
  it('takes gRPC INTERNAL — a reset call (RST_STREAM) or a failing server — for an outage, wrapped or not by the client', () => {
    const reset = grpcError(13, 'INTERNAL: Received RST_STREAM with code 2 (Internal server error)');
    for (const error of [reset, new UnknownError(reset as ConstructorParameters<typeof UnknownError>[0])]) {
      expect(isEsdbOutage(error)).toBe(true);
      expect(translateEsdbError(error, ADDRESS)).toBeInstanceOf(StoreUnavailableError);
    }
    expect(isEsdbOutage(grpcError(14, 'UNAVAILABLE: No connection established'))).toBe(true);
  });

  it('takes other gRPC statuses and codeless errors for what they are', () => {
    for (const error of [grpcError(3, 'INVALID_ARGUMENT: bad'), grpcError(12, 'UNIMPLEMENTED'), new UnknownError(), new TypeError('bug')]) {
      expect(isEsdbOutage(error)).toBe(false);
      expect(translateEsdbError(error, ADDRESS)).toBe(error);
    }
  });

  it('reports access denied, and credentials refused, as a configuration error naming the address, never as unreachable', () => {
    const denied = [
      new AccessDeniedError(),
      grpcError(7, 'PERMISSION_DENIED: Access Denied'),
      grpcError(16, 'UNAUTHENTICATED: Bad credentials'),
    ];
    for (const error of denied) {
      expect(isAccessDenied(error)).toBe(true);
      expect(isEsdbOutage(error)).toBe(false);
      const translated = translateEsdbError(error, 'esdb://admin:s3cret@db.internal:2113?tls=true') as Error;
      expect(translated).toBeInstanceOf(BackendAccessDeniedError);
      expect(translated.message).toMatch(
        /^EventStoreDB at esdb:\/\/db\.internal:2113\?tls=true denied access \(a configuration error\): .+; the user/,
      );
      expect(translated.message).not.toContain('s3cret');
    }
    expect((translateEsdbError(new AccessDeniedError(), ADDRESS) as Error).message).toContain('): access denied; ');
  });

  it('names the server’s limit when an append is too large', () => {
    const translated = translateAppendError(MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576), ADDRESS, 'conversation-1', 3);

    expect(translated).toBeInstanceOf(AppendTooLargeError);
    expect(translated).toMatchObject({ streamName: 'conversation-1', eventCount: 3, maxAppendSizeBytes: 1_048_576 });
    expect((translated as Error).message).toBe(
      'appendToStream(conversation-1): the 3 event(s) are larger than the 1048576 bytes EventStoreDB takes in one append (its MaxAppendSize setting, 1 MiB by default)',
    );
  });
});

type Answer = (stream: ServerHttp2Stream) => void;

/** Answers a gRPC call with a status and no message, as the server does when it refuses one. */
const status =
  (code: number, message: string, trailers: Record<string, string> = {}): Answer =>
  (stream) =>
    stream.respond(
      { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(code), 'grpc-message': message, ...trailers },
      { endStream: true },
    );

/**
 * A local gRPC endpoint answering as EventStoreDB would: no server features (an older server),
 * every read an empty stream, unless `answers` scripts a call by its method name. It records the
 * calls with their headers.
 */
async function scriptedServer(answers: Partial<Record<'Read' | 'Append', Answer>>) {
  const calls: { method: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer();
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session) => sessions.add(session));
  server.on('stream', (stream, headers) => {
    const method = String(headers[':path']).split('/').at(-1) ?? '';
    calls.push({ method, headers });
    stream.on('error', () => undefined); // a reset call errors on this side too
    stream.resume();
    const answer = method === 'GetSupportedMethods' ? status(12, 'Unimplemented') : (answers[method as 'Read'] ?? status(0, ''));
    answer(stream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    calls,
    close: async () => {
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('EventStoreDB errors, through the client, from a scripted server', () => {
  const ACCESS_DENIED = status(7, 'Access Denied', { exception: 'access-denied' });

  it('connecting with a user the server refuses fails as access denied, not unreachable', async () => {
    const server = await scriptedServer({ Read: ACCESS_DENIED });
    try {
      const failure = await EsdbEventStore.connect({ connectionString: server.connectionString, startupTimeoutMs: 3_000 }).catch(
        (error: Error) => error,
      );

      expect(failure).toBeInstanceOf(BackendAccessDeniedError);
      expect((failure as Error).message).toContain(`EventStoreDB at ${server.connectionString} denied access (a configuration error): `);
      expect((failure as Error).message).not.toContain('unreachable');
    } finally {
      await server.close();
    }
  });

  it.each([
    [
      'a reset call (RST_STREAM) fails as unavailable, for the caller to retry',
      (stream: ServerHttp2Stream) => stream.close(constants.NGHTTP2_INTERNAL_ERROR),
      StoreUnavailableError,
    ],
    [
      'too large an append names the server’s limit',
      status(3, 'Maximum Append Size of 1048576 Exceeded.', {
        exception: 'maximum-append-size-exceeded',
        'maximum-append-size': '1048576',
      }),
      AppendTooLargeError,
    ],
    ['an append the user may not make fails as access denied', ACCESS_DENIED, BackendAccessDeniedError],
  ])('%s', async (_, answer, expected) => {
    const server = await scriptedServer({ Append: answer });
    const store = await EsdbEventStore.connect({ connectionString: server.connectionString, startupTimeoutMs: 3_000 });
    try {
      const failure = await store.appendToStream(`stream-${randomUUID()}`, [eventFixture()]).catch((error: Error) => error);

      expect(failure).toBeInstanceOf(expected);
    } finally {
      await store.close();
      await server.close();
    }
  });

  it('reads what decides an append from the leader, never from a follower that may lag behind', async () => {
    const server = await scriptedServer({});
    const store = await EsdbEventStore.connect({ connectionString: server.connectionString, startupTimeoutMs: 3_000 });
    try {
      for (const expectedRevision of ['any', 'no_stream', 'stream_exists', 3] as const) {
        await store.appendToStream(`stream-${randomUUID()}`, [eventFixture()], { expectedRevision }).catch(() => undefined);
      }
      await store.appendToStream(`stream-${randomUUID()}`, [], { expectedRevision: 'any' });

      const [, ...readsOfAppends] = server.calls.filter(({ method }) => method === 'Read');
      expect(readsOfAppends.length).toBeGreaterThanOrEqual(5);
      expect(readsOfAppends.map(({ headers }) => headers['requires-leader'])).toEqual(readsOfAppends.map(() => 'true'));
    } finally {
      await store.close();
      await server.close();
    }
  });
});

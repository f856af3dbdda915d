import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
} from '@eventstore/db-client';
import { AppendTooLargeError } from '../append-too-large.error.js';
import { BackendAccessDeniedError } from '../backend-access-denied.error.js';
import { storeFailure } from '../store-unavailable.error.js';

export const ESDB = 'EventStoreDB';

/** Errors after which the same request may succeed: the server or the network was briefly away. */
const TRANSIENT_ERRORS = [UnavailableError, DeadlineExceededError, CancelledError, NotLeaderError, TimeoutError];
const NETWORK_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

const isTransientError = (error: unknown): boolean => {
  if (TRANSIENT_ERRORS.some((type) => error instanceof type)) return true;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && NETWORK_ERROR_CODES.has(code);
};

/** gRPC status codes, as the gRPC specification numbers them; the client passes some on as they are. */
const GRPC = { deadlineExceeded: 4, permissionDenied: 7, internal: 13, unavailable: 14, unauthenticated: 16 } as const;
/**
 * INTERNAL is what gRPC reports for a reset HTTP/2 stream (`RST_STREAM`: a proxy or load balancer
 * cut the call, the server went away mid-call) as well as for a server failing a call: like the
 * others here, the same request may succeed again.
 */
const TRANSIENT_GRPC_CODES = new Set<unknown>([GRPC.deadlineExceeded, GRPC.internal, GRPC.unavailable]);
const DENIED_GRPC_CODES = new Set<unknown>([GRPC.permissionDenied, GRPC.unauthenticated]);

const grpcCode = (error: unknown): unknown => (error instanceof Error ? (error as Error & { code?: unknown }).code : undefined);

/** Away for now: unavailable, past its deadline, not the leader, the call reset, the network away. */
export const isEsdbOutage = (error: unknown): boolean => isTransientError(error) || TRANSIENT_GRPC_CODES.has(grpcCode(error));

/** The server refused the user's credentials (UNAUTHENTICATED) or rights (PERMISSION_DENIED). */
export const isAccessDenied = (error: unknown): boolean => error instanceof AccessDeniedError || DENIED_GRPC_CODES.has(grpcCode(error));

/** An outage becomes `StoreUnavailableError`, which callers retry; any other error stays as it is. */
export const esdbFailure = storeFailure(ESDB, isEsdbOutage);

const ACCESS_NEEDED =
  'the user of the connection string must be allowed to read $all (a system stream: by default only administrators may) ' +
  'and to read and write the service’s streams and read their metadata';

/**
 * What the adapter throws for an error of the client talking to the server at `address`: access
 * refused is a configuration error, an outage a `StoreUnavailableError`, anything else itself.
 */
export function translateEsdbError(error: unknown, address: string): unknown {
  if (error instanceof BackendAccessDeniedError) return error;
  if (isAccessDenied(error)) return new BackendAccessDeniedError(ESDB, address, reasonOf(error, 'access denied'), ACCESS_NEEDED);
  return esdbFailure(error);
}

/** As `translateEsdbError`, for an append: the server's size limit is named. */
export function translateAppendError(error: unknown, address: string, streamName: string, eventCount: number): unknown {
  if (error instanceof MaxAppendSizeExceededError) {
    return new AppendTooLargeError(ESDB, streamName, eventCount, error.maxAppendSize, 'its MaxAppendSize setting, 1 MiB by default');
  }
  return translateEsdbError(error, address);
}

/** The error's message, or `otherwise` when it has none (some of the client's errors come without). */
export function reasonOf(error: unknown, otherwise = String(error)): string {
  return error instanceof Error && error.message !== '' ? error.message : otherwise;
}

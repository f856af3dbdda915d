/**
 * A store could not do what was asked because it is away for now (busy, unreachable, out of disk,
 * failing over): the same request may succeed later. Each adapter wraps its driver's errors of
 * that kind in this one, so that callers tell an outage from a defect by its type, never by
 * guessing from a driver's `code`.
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly backend: string,
    cause: unknown,
  ) {
    super(`${backend} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** What an adapter throws for a driver's error: a `StoreUnavailableError` for an outage, the error itself otherwise. */
export const storeFailure =
  (backend: string, isOutage: (error: unknown) => boolean) =>
  (error: unknown): unknown =>
    error instanceof StoreUnavailableError || !isOutage(error) ? error : new StoreUnavailableError(backend, error);

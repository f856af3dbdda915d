/** What a shutdown needs of the application and the process; the process itself in production. */
export interface ShutdownTarget {
  close(): Promise<void>;
}

export interface ShutdownLogger {
  log(message: string): void;
  error(message: string): void;
}

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Closes the application on SIGTERM or SIGINT and exits 0 once it has: the HTTP server stops
 * accepting and answers what it has, streams end, subscriptions finish their batch and
 * checkpoint, the stores close (Nest's shutdown order; create-app.ts). Past `timeoutMs` the
 * process exits 1 whatever is still running. A second signal changes nothing: a terminal's Ctrl-C
 * reaches the server twice under `npm start` (from the terminal and forwarded by npm).
 */
export const closeOnSignals = (
  app: ShutdownTarget,
  timeoutMs: number,
  logger: ShutdownLogger,
  exit: (code: number) => void = (code) => process.exit(code),
): void => {
  let closing = false;
  const shutDown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: finishing the requests and work in progress (at most ${timeoutMs} ms), then exiting`);
    const deadline = setTimeout(() => {
      logger.error(`Shutdown did not finish within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS); exiting anyway`);
      exit(1);
    }, timeoutMs);
    app.close().then(
      () => {
        clearTimeout(deadline);
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        logger.error(`Shutdown failed: ${(error as Error).message}`);
        exit(1);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, shutDown);
};

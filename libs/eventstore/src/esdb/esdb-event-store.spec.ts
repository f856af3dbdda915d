import { createServer, type Socket } from 'node:net';
import { BackendUnreachableError } from '../backend-unreachable.error.js';
import { describeEventStoreContract, settleWithin } from '../event-store.contract.js';
import { EsdbEventStore } from './esdb-event-store.js';
import { appendForeignRecords } from './foreign-records.fixture.js';

const connectionString = process.env.ESDB_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract('EventStoreDB', async ({ logger }) => {
    const store = await EsdbEventStore.connect({ connectionString, logger });
    return {
      store,
      dispose: () => store.close(),
      appendForeignRecords: (streamName) => appendForeignRecords(connectionString, streamName),
    };
  });
} else {
  console.log(
    'Skipping the EventStoreDB contract suite: ESDB_CONNECTION_STRING is not set (docker compose -f docker/docker-compose.yml up starts one)',
  );
  describe.skip('EventStore contract: EventStoreDB', () => {
    it('runs against the server named by ESDB_CONNECTION_STRING', () => undefined);
  });
}

/** A local port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

/** A local server that accepts connections and never answers; `close()` drops them. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { port, close };
}

/** What `promise` rejects with; fails the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('Expected a rejection');
    },
    (error: Error) => error,
  );
}

describe('EsdbEventStore.connect', () => {
  const startupTimeoutMs = 3_000;

  it('fails within the startup timeout with an error naming EventStoreDB and its address', async () => {
    const address = `esdb://127.0.0.1:${await closedPort()}?tls=false`;

    const failure = await settleWithin(
      startupTimeoutMs + 1_000,
      rejectionOf(EsdbEventStore.connect({ connectionString: address, startupTimeoutMs })),
    );

    expect(failure).toBeInstanceOf(BackendUnreachableError);
    expect(failure.message).toContain(`EventStoreDB at ${address} is unreachable: `);
  });

  it('gives up on a server that accepts the connection but never answers, once the startup timeout has passed', async () => {
    const server = await silentServer();
    try {
      const address = `esdb://127.0.0.1:${server.port}?tls=false`;

      const failure = await settleWithin(2_000, rejectionOf(EsdbEventStore.connect({ connectionString: address, startupTimeoutMs: 500 })));

      expect(failure).toBeInstanceOf(BackendUnreachableError);
      expect(failure.message).toBe(`EventStoreDB at ${address} is unreachable: no answer within 500 ms`);
    } finally {
      await server.close();
    }
  });

  it('never puts the credentials of the connection string into the error', async () => {
    const port = await closedPort();

    const failure = await rejectionOf(
      EsdbEventStore.connect({
        connectionString: `esdb://admin:s3cret-Passw0rd@127.0.0.1:${port}?tls=false`,
        startupTimeoutMs,
      }),
    );

    expect(failure.message).toContain(`EventStoreDB at esdb://127.0.0.1:${port}?tls=false is unreachable`);
    expect(`${failure.message} ${JSON.stringify(failure)}`).not.toContain('s3cret');
  });

  it('refuses a malformed connection string without quoting its credentials', async () => {
    const failure = await rejectionOf(EsdbEventStore.connect({ connectionString: 'esdb://admin:s3cret@db:notaport' }));

    expect(failure).toBeInstanceOf(TypeError);
    expect(failure.message).toBe('Not a valid EventStoreDB connection string: esdb://db:notaport');
  });

  it.each(['throwOnAppendFailure=false', 'throw_on_append_failure=false', 'THROWONAPPENDFAILURE=false'])(
    'refuses %s, with which the client would report a refused append as a result',
    async (option) => {
      const failure = await rejectionOf(EsdbEventStore.connect({ connectionString: `esdb://admin:s3cret@db:2113?tls=false&${option}` }));

      expect(failure).toBeInstanceOf(TypeError);
      expect(failure.message).toBe(
        'The EventStoreDB connection string sets throwOnAppendFailure=false, which this service cannot use: a refused append ' +
          `must fail, and the client would report it as a result: esdb://db:2113?tls=false&${option}`,
      );
    },
  );
});

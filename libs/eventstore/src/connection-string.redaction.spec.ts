import { BackendUnreachableError } from './backend-unreachable.error.js';
import { redactConnectionString } from './connection-string.redaction.js';

describe('redactConnectionString', () => {
  it.each([
    ['esdb://admin:changeit@localhost:2113?tls=false', 'esdb://localhost:2113?tls=false'],
    ['esdb+discover://ops:p%40ss@cluster.internal:2113', 'esdb+discover://cluster.internal:2113'],
    ['esdb://admin:p@ss@node1:2113,node2:2113/?tls=true', 'esdb://node1:2113,node2:2113/?tls=true'],
    ['mongodb://reader:hunter2@mongo:27017/workflows?replicaSet=rs0', 'mongodb://mongo:27017/workflows?replicaSet=rs0'],
    ['esdb://localhost:2113', 'esdb://localhost:2113'],
    ['user:secret@localhost:2113', 'localhost:2113'],
    ['mongodb://u:sec/ret@127.0.0.1:1/', 'mongodb://127.0.0.1:1/'],
  ])('strips the user info of %s', (connectionString, redacted) => {
    expect(redactConnectionString(connectionString)).toBe(redacted);
  });

  it('drops query parameters that carry secrets and keeps the others in order', () => {
    expect(
      redactConnectionString('esdb://localhost:2113?tls=true&password=a&authToken=b&clientSecret=c&tlsCAFile=ca.pem&api_key=d&pwd=e'),
    ).toBe('esdb://localhost:2113?tls=true&tlsCAFile=ca.pem');
    expect(redactConnectionString('esdb://localhost:2113?token=x')).toBe('esdb://localhost:2113');
  });
});

describe('BackendUnreachableError', () => {
  it('names the backend and the redacted address', () => {
    const error = new BackendUnreachableError('EventStoreDB', 'esdb://admin:changeit@db:2113?tls=false', 'timed out');

    expect(error.message).toBe('EventStoreDB at esdb://db:2113?tls=false is unreachable: timed out');
    expect(error).toMatchObject({ name: 'BackendUnreachableError', backend: 'EventStoreDB', address: 'esdb://db:2113?tls=false' });
  });
});

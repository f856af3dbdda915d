import { CHECKPOINTS_COLLECTION, databaseNamedIn, GENERATIONS_COLLECTION, mongoCollectionName, mongoFieldName } from './mongodb-names.js';

describe('mongoCollectionName', () => {
  it.each(['workflow-cards', 'sessions', 'collection-6f1c2e0a-3b1d-4c55-9a57-0a8b8e2f4d11', `a${'b'.repeat(63)}`])(
    'keeps %j as it is',
    (name) => {
      expect(mongoCollectionName(name)).toBe(name);
    },
  );

  it.each(['', '1st', '-cards', 'system.indexes', 'cards.old', '$cmd', 'cards cards', `a${'b'.repeat(64)}`])('rejects %j', (name) => {
    expect(() => mongoCollectionName(name)).toThrow(/collection name/);
  });

  it.each([CHECKPOINTS_COLLECTION, GENERATIONS_COLLECTION, 'system'])('keeps %j to itself', (name) => {
    expect(() => mongoCollectionName(name)).toThrow(/reserved/);
  });
});

describe('mongoFieldName', () => {
  it('stores the id under _id and every other field under its own name', () => {
    expect(mongoFieldName('id')).toBe('_id');
    expect(mongoFieldName('createdAt')).toBe('createdAt');
    expect(mongoFieldName('_private')).toBe('_private');
  });

  it.each(['$where', 'steps.0.id', 'a b', '', '1st'])('rejects %j', (field) => {
    expect(() => mongoFieldName(field)).toThrow(/field name/);
  });

  it('rejects _id, which would reach the id under another name', () => {
    expect(() => mongoFieldName('_id')).toThrow(/reserved/);
  });
});

describe('databaseNamedIn', () => {
  it.each([
    ['mongodb://localhost:27017/workflows', 'workflows'],
    ['mongodb://reader:p%2Fss@mongo-1:27017,mongo-2:27017/reads?replicaSet=rs0', 'reads'],
    ['mongodb+srv://cluster0.example.net/production?retryWrites=true', 'production'],
    ['mongodb://localhost/read%20models', 'read models'],
    ['MONGODB://localhost/Upper', 'Upper'],
  ])('finds the database in %s', (connectionString, database) => {
    expect(databaseNamedIn(connectionString)).toBe(database);
  });

  it.each([
    'mongodb://localhost:27017',
    'mongodb://localhost:27017/',
    'mongodb://localhost:27017/?directConnection=true',
    'mongodb://reader:secret@localhost:27017?authSource=admin',
    'not a connection string',
  ])('finds none in %s', (connectionString) => {
    expect(databaseNamedIn(connectionString)).toBeUndefined();
  });
});

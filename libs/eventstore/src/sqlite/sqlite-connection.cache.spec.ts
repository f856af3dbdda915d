import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteConnectionCache } from './sqlite-connection.cache.js';

describe('SqliteConnectionCache', () => {
  let directory: string;
  let own: Database.Database;
  let other: Database.Database;
  let cache: SqliteConnectionCache<number>;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'connection-cache-'));
    const file = join(directory, 'file.sqlite');
    own = new Database(file);
    own.pragma('journal_mode = WAL');
    own.exec('CREATE TABLE things (id INTEGER PRIMARY KEY)');
    other = new Database(file);
    cache = new SqliteConnectionCache(own, 2);
  });

  afterEach(() => {
    own.close();
    other.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps what was learnt through commits of its own connection', () => {
    cache.set('a', 1);
    own.exec('INSERT INTO things DEFAULT VALUES');

    expect(cache.get('a')).toBe(1);
  });

  it('forgets everything once another connection committed, and learns again afterwards', () => {
    cache.set('a', 1);
    cache.set('b', 2);
    other.exec('INSERT INTO things DEFAULT VALUES');

    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', 3);
    expect(cache.get('a')).toBe(3);
  });

  it('forgets what was learnt before another connection committed, also after learning a key it had not kept', () => {
    cache.set('a', 1);
    other.exec('INSERT INTO things DEFAULT VALUES');

    expect(cache.get('z')).toBeUndefined();
    cache.set('z', 9);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps the entries learnt last, up to its capacity', () => {
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3);
    cache.set('c', 4);

    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([3, undefined, 4]);
  });
});

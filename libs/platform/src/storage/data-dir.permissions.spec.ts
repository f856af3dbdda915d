import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config.js';
import { ConfigError } from '../config/config-error.js';
import { resolveGeneratedSecret } from '../config/generated-secret.js';
import { ensureDataDir } from './data-dir.permissions.js';
import { markServerRunning } from './running-servers.js';
import { closeStorage, openStorage } from './storage.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('DATA_DIR permissions', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'data-dir-'));
    // mkdtemp makes its directory 0700 itself: the parent of DATA_DIR here is as a usual one is.
    chmodSync(root, 0o755);
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates a missing DATA_DIR open to its owner only, and missing parents as mkdir -p does', () => {
    const dataDir = join(root, 'srv', 'data');
    ensureDataDir(dataDir);
    const usual = join(root, 'usual');
    mkdirSync(usual);
    expect([modeOf(dataDir), modeOf(join(root, 'srv'))]).toEqual([0o700, modeOf(usual)]);
  });

  it('leaves a DATA_DIR that exists as the operator made it', () => {
    const dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o750 });
    chmodSync(dataDir, 0o750);
    ensureDataDir(dataDir);
    expect(modeOf(dataDir)).toBe(0o750);
  });

  it('refuses a DATA_DIR that is a file, or inside one, as a configuration error naming it', () => {
    const dataDir = join(root, 'data');
    writeFileSync(dataDir, '');
    const refusal = `DATA_DIR ${dataDir} cannot be used as the data folder: a file is in the way of that folder`;
    expect(() => ensureDataDir(dataDir)).toThrow(new ConfigError(refusal));
    expect(() => ensureDataDir(join(dataDir, 'inner'))).toThrow(
      new ConfigError(`DATA_DIR ${join(dataDir, 'inner')} cannot be used as the data folder: a file is in the way of that folder`),
    );
  });

  it('is how the embedded stores, a generated secret and the running mark create DATA_DIR', async () => {
    const storageDir = join(root, 'stores');
    const storage = await openStorage(loadConfig({ DATA_DIR: storageDir }), { warn: () => undefined });
    try {
      const files = ['events.sqlite', 'events.sqlite-wal', 'read-models.sqlite', 'read-models.sqlite-wal'];
      expect([modeOf(storageDir), ...files.map((file) => modeOf(join(storageDir, file)))]).toEqual([0o700, 0o600, 0o600, 0o600, 0o600]);
    } finally {
      await closeStorage(storage);
    }

    const secretDir = join(root, 'secret');
    resolveGeneratedSecret(undefined, secretDir, 'auth-secret');
    expect(modeOf(secretDir)).toBe(0o700);

    const markedDir = join(root, 'marked');
    markServerRunning(markedDir)();
    expect(modeOf(markedDir)).toBe(0o700);
  });

  it('keeps the running marks to their owner, and leaves a running directory that exists as it is', () => {
    const dataDir = join(root, 'data');
    const release = markServerRunning(dataDir);
    try {
      expect([modeOf(join(dataDir, 'running')), modeOf(join(dataDir, 'running', String(process.pid)))]).toEqual([0o700, 0o600]);
    } finally {
      release();
    }

    const madeByOperator = join(root, 'operated');
    mkdirSync(join(madeByOperator, 'running'), { recursive: true, mode: 0o750 });
    chmodSync(join(madeByOperator, 'running'), 0o750);
    markServerRunning(madeByOperator)();
    expect(modeOf(join(madeByOperator, 'running'))).toBe(0o750);
  });
});

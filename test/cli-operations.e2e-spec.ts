import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '#eventstore';
import { processStartOf } from '#platform';
import { SqliteReadModelStore, WORKFLOW_CARDS_COLLECTION } from '#readmodel';
import { Visitor, eventually, flowOnWebchat } from './support/conversations.js';
import { type ChildServer, newSecret, removeDir, spawnServer, temporaryDataDir } from './support/test-server.js';

const CLI = resolve('dist/apps/cli/src/main.js');

describe('operator commands: replay, verify, export', () => {
  const dataDir = temporaryDataDir();
  const exportDir = temporaryDataDir();
  const secret = newSecret();
  let server: ChildServer;

  const cliEnv = () => ({ ...process.env, DATA_DIR: dataDir, AUTH_SECRET: secret });
  // The busy server's log, exported to stdout, is larger than spawnSync's default buffer.
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { env: cliEnv(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  /** As `cli`, leaving this process free to keep talking to the server meanwhile. */
  const cliBeside = async (...args: string[]) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv() });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [status] = (await once(child, 'close')) as [number | null];
    return { status, stdout, stderr };
  };
  let channelId: string;

  /** Every document of the embedded read models, by collection, as stored. */
  const storedDocuments = async (): Promise<Record<string, unknown[]>> => {
    const store = SqliteReadModelStore.open({ file: join(dataDir, 'read-models.sqlite') });
    try {
      const collections = [
        'workflow-cards',
        'workflow-card-sessions',
        'workflow-versions',
        'sessions',
        'conversation-messages',
        'engine-channels',
      ];
      const all: Record<string, unknown[]> = {};
      for (const collection of collections) {
        all[collection] = [];
        for await (const document of store.allDocuments(collection)) all[collection].push(document);
      }
      return all;
    } finally {
      await store.close();
    }
  };

  const stopServer = async () => {
    server.process.kill('SIGTERM');
    await server.exited;
  };

  beforeAll(async () => {
    // One test keeps the server busy from this one address.
    server = await spawnServer(dataDir, secret, { RATE_LIMITS: 'off' });
    const { api } = server;
    ({ channelId } = await flowOnWebchat(api, [
      { id: 'hello', type: 'send_message', text: 'Hello' },
      { id: 'ask', type: 'ask_question', text: 'Name?', variable: 'name' },
    ]));
    const visitors = [new Visitor(api, channelId), new Visitor(api, channelId)];
    await Promise.all(visitors.map((visitor) => visitor.say('hi')));
    await Promise.all(visitors.map((visitor) => visitor.awaitReplies(2)));
    await visitors[0].say('Ada');
    const renamed = await api.request('POST', '/workflows', { body: { name: 'Second' } });
    await api.request('PATCH', `/workflows/${renamed.body.id}`, { body: { name: 'Second, renamed' } });
    const head = (await api.request('GET', '/health', { token: null })).body.logPosition;
    await eventually(
      async () => (await api.request('GET', `/workflows?consistentWith=${head}`)).status,
      (status) => status === 200,
    );
    await eventually(
      async () => (await api.request('GET', '/health', { token: null })).body,
      (health) => Object.values(health.projections).every((status: any) => status.position === head) && health.engine?.position === head,
    );
  }, 60_000);
  afterAll(() => {
    removeDir(dataDir);
    removeDir(exportDir);
  });

  it('verify passes on a clean store, also beside a running server', () => {
    const result = cli('verify');
    expect(result.stderr).toContain('verify: recomputing projections');
    expect(result.stdout).toContain('Consistent');
    expect(result.status).toBe(0);
  });

  it('verify finds nothing amiss while the server keeps answering and projecting', async () => {
    const logHead = async () => BigInt((await server.api.request('GET', '/health', { token: null })).body.logPosition as string);
    const before = await logHead();
    let talking = true;
    const talk = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (talking) await new Visitor(server.api, channelId).say('hi');
      }),
    );
    const result = await cliBeside('verify').finally(() => (talking = false));
    await talk;
    // The log grew while verify ran: it compared against a server that kept committing.
    expect(await logHead()).toBeGreaterThan(before + 100n);
    expect([result.status, result.stdout.split('\n').slice(1, 4)]).toEqual([
      0,
      ['Consistent: every read model matches the log, and every hash chain is intact.', ''],
    ]);
  }, 60_000);

  /** The log as the audit API shows it, every workspace, one event a line. */
  const logAsExported = async () => {
    const log = SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
    try {
      return (await log.readAll()).map(({ id, position, streamName: stream, revision, type, data, metadata, recordedAt }) => ({
        id,
        position,
        stream,
        revision,
        type,
        data,
        metadata,
        recordedAt,
      }));
    } finally {
      await log.close();
    }
  };
  const parsedLines = (text: string) =>
    text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));

  it('export writes the whole log as NDJSON, beside a running server, readable by its owner only', async () => {
    const file = join(exportDir, 'export.ndjson');
    writeFileSync(file, 'an older export', { mode: 0o644 });
    const result = cli('export', '--out', file);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`events written to ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parsedLines(readFileSync(file, 'utf8'))).toEqual(await logAsExported());
    // Written beside the file and renamed over it: nothing is left behind.
    expect(readdirSync(exportDir)).toEqual(['export.ndjson']);
  });

  it('export --out - writes the log to stdout, its progress to stderr', async () => {
    const result = cli('export', '--out', '-');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('events written to stdout');
    expect(parsedLines(result.stdout)).toEqual(await logAsExported());
  });

  it.each([['events.sqlite'], ['auth-secret'], ['backup.ndjson'], ['..backup.ndjson'], ['.']])(
    'export refuses to write %s inside DATA_DIR, leaving the stores as they were',
    (name) => {
      const target = join(dataDir, name);
      const before = existsSync(target) && statSync(target).isFile() ? readFileSync(target) : undefined;
      const result = cli('export', '--out', target);
      expect([result.status, result.stdout]).toEqual([2, '']);
      expect(result.stderr).toContain(`--out must lie outside DATA_DIR (${dataDir})`);
      expect(result.stderr).not.toContain('Usage');
      if (before !== undefined) expect(readFileSync(target).equals(before)).toBe(true);
      else if (name !== '.') expect(existsSync(target)).toBe(false);
    },
  );

  it.each([
    ['an existing directory', (folder: string) => folder, (folder: string) => `export: --out ${folder} is a directory; name a file`],
    [
      'a file in a folder that does not exist',
      (folder: string) => join(folder, 'missing', 'log.ndjson'),
      (folder: string) => `export: cannot write ${folder}/missing/log.ndjson: the folder ${folder}/missing does not exist`,
    ],
  ])('export refuses %s up front, in one line naming it, leaving nothing behind', (_case, target, message) => {
    const folder = temporaryDataDir();
    try {
      const result = cli('export', '--out', target(folder));
      expect([result.status, result.stdout, result.stderr]).toEqual([2, '', `${message(folder)}\n`]);
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      removeDir(folder);
    }
  });

  it('export reports its progress in plain lines, without a bar, when stderr is no terminal', () => {
    const result = cli('export', '--out', '-');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^export: [\d,]+ of [\d,]+ events \(\d+%\), [\d,]+ events\/s/m);
    expect(result.stderr).not.toMatch(/[[\]#]/);
  });

  it('replay refuses to run beside a server on the embedded stores', () => {
    const result = cli('replay');
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(`a running server (pid ${server.process.pid})`);
  });

  it('replay rebuilds the read models from the log, identical to what the server built', async () => {
    await stopServer();
    const before = await storedDocuments();
    expect(before['workflow-cards']).toHaveLength(2);
    const result = cli('replay');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/replay: [\d,]+ events applied to workflows, channels, sessions, api-channel-outbox, session-engine in/);
    // Not a terminal: plain lines, no bar.
    expect(result.stderr).toMatch(/^replay: [\d,]+ of [\d,]+ events \(\d+%\), [\d,]+ events\/s/m);
    expect(result.stderr).not.toMatch(/[[\]#]/);
    expect(result.stdout).toBe(
      'Replayed workflows, channels, sessions, api-channel-outbox, session-engine from the log and swapped them in.\n',
    );
    expect(await storedDocuments()).toEqual(before);

    const one = cli('replay', '--projection', 'workflows');
    expect(one.status).toBe(0);
    expect(one.stdout).toBe('Replayed workflows from the log and swapped it in.\n');
    expect(await storedDocuments()).toEqual(before);
    expect(cli('replay', '--projection', 'cards').stderr).toContain(
      '--projection must be one of workflows, channels, sessions, api-channel-outbox, session-engine',
    );
  });

  it("replay is not held up by a dead server's mark whose pid another process has now, and removes killed commands' scratch files", () => {
    // This test's own process stands for the later process given a dead server's pid.
    mkdirSync(join(dataDir, 'running'), { recursive: true });
    writeFileSync(join(dataDir, 'running', String(process.pid)), `2026-01-01T00:00:00.000Z\n1\n`);
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    const scratchOf = (pid: number, start: string) => `rebuild-${pid}-${start}-${randomUUID()}.sqlite`;
    const killed = scratchOf(ended, 'x');
    const reused = scratchOf(process.pid, '1');
    const alive = scratchOf(process.pid, processStartOf(process.pid)!);
    for (const name of [killed, `${killed}-wal`, reused, alive]) writeFileSync(join(dataDir, name), 'transcripts');

    const result = cli('replay', '--projection', 'workflows');
    expect([result.status, result.stderr]).toEqual([0, expect.not.stringContaining('running server')]);
    expect(readdirSync(join(dataDir, 'running'))).toEqual([]);
    expect(readdirSync(dataDir).filter((name) => name.startsWith('rebuild-'))).toEqual([alive]);
    rmSync(join(dataDir, alive));
  });

  it('verify fails naming the read-model document changed behind its back', () => {
    const disk = new Database(join(dataDir, 'read-models.sqlite'));
    const card = disk.prepare(`SELECT id, body FROM documents WHERE collection = ? LIMIT 1`).get(WORKFLOW_CARDS_COLLECTION) as {
      id: string;
      body: string;
    };
    const original = card.body;
    disk
      .prepare('UPDATE documents SET body = ? WHERE collection = ? AND id = ?')
      .run(JSON.stringify({ ...JSON.parse(original), activeSessions: 99 }), WORKFLOW_CARDS_COLLECTION, card.id);
    disk.close();
    const result = cli('verify');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`read model workflows/workflow-cards/${card.id}: differs from the log in activeSessions`);
    expect(result.stderr).toContain('1 read-model difference(s), 0 checkpoint(s) not of the log, 0 stream(s) with a broken hash chain');
    // replay repairs it from the log
    expect(cli('replay').status).toBe(0);
    expect(cli('verify').status).toBe(0);
  });

  it('verify fails naming a checkpoint past the log, and a document moved to another workspace', () => {
    const disk = new Database(join(dataDir, 'read-models.sqlite'));
    const card = disk.prepare(`SELECT id FROM documents WHERE collection = ? LIMIT 1`).get(WORKFLOW_CARDS_COLLECTION) as { id: string };
    disk.prepare(`UPDATE documents SET workspace = 'elsewhere' WHERE collection = ? AND id = ?`).run(WORKFLOW_CARDS_COLLECTION, card.id);
    disk.prepare(`UPDATE checkpoints SET position = '99999999' WHERE projection = 'channels'`).run();
    disk.close();
    const result = cli('verify');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`read model workflows/workflow-cards/${card.id}: differs from the log in workspace`);
    expect(result.stdout).toMatch(/checkpoint of channels: is at 99999999, past the log's last event \(\d+\)/);
    expect(result.stderr).toContain('1 checkpoint(s) not of the log');
    expect(cli('replay').status).toBe(0);
    expect(cli('verify').status).toBe(0);
  });

  it('verify fails naming the stream of an event changed in the log', () => {
    const disk = new Database(join(dataDir, 'events.sqlite'));
    const event = disk.prepare(`SELECT stream_name, revision, data FROM events WHERE type = 'WorkflowRenamed' LIMIT 1`).get() as {
      stream_name: string;
      revision: number;
      data: string;
    };
    disk
      .prepare('UPDATE events SET data = ? WHERE stream_name = ? AND revision = ?')
      .run(JSON.stringify({ ...JSON.parse(event.data), name: 'Forged' }), event.stream_name, event.revision);
    disk.close();
    const result = cli('verify');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`stream ${event.stream_name} revision ${event.revision}`);
    expect(result.stdout).toContain('changed after it was stored');
  });
});

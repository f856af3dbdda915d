/**
 * `npm run bench` (or `npm run bench -- --quick`): the embedded event store against bare SQLite
 * and a peer library, HTTP routes, web chat sessions answered end to end, and rebuilding the read
 * models, all measured side by side in one run; writes bench-results.json at the repository root.
 * The machine is shared and noisy: compare the ratios, not the absolute figures, between runs.
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { RATE_LIMITS_OFF } from '#platform';
import { removeDir, startInProcessServer, temporaryDataDir } from '../support/test-server.js';
import { type BenchMode, type Metrics, describeMachine, formatReport, writeResults } from './bench-report.js';
import { type HttpBenchSizes, httpMetrics } from './http-throughput.js';
import { type RebuildBenchSizes, rebuildMetrics } from './projection-rebuild.js';
import { type StoreBenchSizes, storeMetrics } from './store-appends.js';
import { type SessionBenchSizes, sessionMetrics } from './web-chat-sessions.js';

interface BenchSizes {
  store: StoreBenchSizes;
  http: HttpBenchSizes;
  sessions: SessionBenchSizes;
  rebuild: RebuildBenchSizes;
}

const SIZES: Record<BenchMode, BenchSizes> = {
  quick: {
    store: { concurrentAppenders: 64, appendsPerAppender: 100, serialAppends: 2000, peerAppendsPerAppender: 15 },
    http: { connections: 50, durationSeconds: 5 },
    sessions: { contacts: 200, messagesPerContact: 5, preloadedMessages: 100_000, catchUpTimeoutMs: 150_000 },
    rebuild: { minimumEvents: 200_000 },
  },
  full: {
    store: { concurrentAppenders: 64, appendsPerAppender: 500, serialAppends: 10_000, peerAppendsPerAppender: 50 },
    http: { connections: 50, durationSeconds: 10 },
    sessions: { contacts: 200, messagesPerContact: 5, preloadedMessages: 100_000, catchUpTimeoutMs: 600_000 },
    rebuild: { minimumEvents: 1_000_000 },
  },
};

const RESULTS_FILE = fileURLToPath(new URL('../../../bench-results.json', import.meta.url));

const main = async () => {
  const mode: BenchMode = process.argv.includes('--quick') ? 'quick' : 'full';
  const sizes = SIZES[mode];
  const machine = describeMachine(mode);
  const startedAt = performance.now();
  const dataDir = temporaryDataDir();
  const metrics: Metrics = {};
  try {
    Object.assign(metrics, await storeMetrics(dataDir, sizes.store));
    // Throughput from one address and one token: the abuse limits would measure themselves instead.
    const server = await startInProcessServer(dataDir, undefined, { rateLimits: RATE_LIMITS_OFF });
    let preloadChannelId: string;
    try {
      Object.assign(metrics, await httpMetrics(server.api, sizes.http));
      const sessions = await sessionMetrics(server, sizes.sessions);
      Object.assign(metrics, sessions.metrics);
      preloadChannelId = sessions.preloadChannelId;
    } finally {
      await server.close();
    }
    Object.assign(
      metrics,
      await rebuildMetrics(join(dataDir, 'events.sqlite'), join(dataDir, 'rebuild-scratch.sqlite'), preloadChannelId, sizes.rebuild),
    );
  } finally {
    removeDir(dataDir);
  }
  machine.loadavgAfter = loadavg();
  process.stdout.write(formatReport(metrics));
  writeResults(RESULTS_FILE, machine, metrics);
  const seconds = (performance.now() - startedAt) / 1000;
  process.stdout.write(
    `\n${mode} run took ${seconds.toFixed(0)} s; load average ${machine.loadavgBefore.map((load) => load.toFixed(2)).join(' ')} before, ${machine.loadavgAfter.map((load) => load.toFixed(2)).join(' ')} after; written to ${RESULTS_FILE}\n`,
  );
};

await main();

import { writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';

/** One measured figure, or why it could not be measured in this run. */
export interface Metric {
  value: number | null;
  unit: string;
  missing?: string;
}

export type Metrics = Record<string, Metric>;

export const measured = (value: number, unit: string): Metric => ({ value, unit });
export const missing = (unit: string, reason: string): Metric => ({ value: null, unit, missing: reason });

export type BenchMode = 'quick' | 'full';

export interface MachineInfo {
  cpus: number;
  model: string;
  memory: string;
  node: string;
  os: string;
  loadavgBefore: number[];
  loadavgAfter?: number[];
  date: string;
  mode: BenchMode;
}

export const describeMachine = (mode: BenchMode): MachineInfo => ({
  cpus: cpus().length,
  model: cpus()[0]?.model ?? 'unknown',
  memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
  node: process.version,
  os: `${type()} ${release()}`,
  loadavgBefore: loadavg(),
  date: new Date().toISOString(),
  mode,
});

/** A quotient of two metrics, compared with a floor or a ceiling when there is one. */
interface Ratio {
  label: string;
  numerator: string;
  denominator: string;
  target?: { atLeast: number } | { atMost: number };
}

const RATIOS: readonly Ratio[] = [
  {
    label: 'append / insert_batched',
    numerator: 'eventstore.append.events_per_s',
    denominator: 'limit.sqlite_insert_batched.rows_per_s',
    target: { atLeast: 0.8 },
  },
  {
    label: 'append_serial / insert_serial',
    numerator: 'eventstore.append_serial.events_per_s',
    denominator: 'limit.sqlite_insert_serial.rows_per_s',
    target: { atLeast: 0.8 },
  },
  {
    label: 'rebuild / read_parse',
    numerator: 'projection.rebuild.events_per_s',
    denominator: 'limit.read_parse.events_per_s',
    target: { atLeast: 0.7 },
  },
  {
    label: 'create_workflow / health',
    numerator: 'http.create_workflow.req_per_s',
    denominator: 'http.health.req_per_s',
    target: { atLeast: 0.4 },
  },
  {
    label: 'p99_at_100k / p99',
    numerator: 'session.reply_latency_at_100k.p99_ms',
    denominator: 'session.reply_latency.p99_ms',
    target: { atMost: 1.5 },
  },
  { label: 'append / emmett', numerator: 'eventstore.append.events_per_s', denominator: 'peer.emmett_sqlite.append.events_per_s' },
];

/** Absolute targets on single metrics. */
const TARGETS: readonly { metric: string; atLeast?: number; atMost?: number }[] = [
  { metric: 'session.throughput.messages_per_s', atLeast: 1000 },
  { metric: 'session.reply_latency.p99_ms', atMost: 100 },
  { metric: 'http.create_workflow.req_per_s', atLeast: 3000 },
  { metric: 'http.list_workflows.req_per_s', atLeast: 2000 },
  { metric: 'projection.rebuild.events_per_s', atLeast: 150_000 },
];

const verdict = (value: number | null, bound: { atLeast?: number; atMost?: number }): string => {
  if (value === null || !Number.isFinite(value)) return 'MISS (not measured)';
  const met = bound.atLeast !== undefined ? value >= bound.atLeast : value <= (bound.atMost ?? Infinity);
  return met ? 'PASS' : 'MISS';
};

const boundText = (bound: { atLeast?: number; atMost?: number }): string =>
  bound.atLeast !== undefined ? `>= ${formatNumber(bound.atLeast)}` : `<= ${formatNumber(bound.atMost ?? Infinity)}`;

const formatNumber = (value: number): string =>
  Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en') : Number(value.toPrecision(3)).toLocaleString('en');

const valueOf = (metrics: Metrics, name: string): number | null => metrics[name]?.value ?? null;

/** Every metric, the ratios and the targets, as a plain-text table. */
export function formatReport(metrics: Metrics): string {
  const lines: string[] = [];
  const nameWidth = Math.max(...Object.keys(metrics).map((name) => name.length), 10);
  lines.push('', 'metrics, this run:');
  for (const [name, metric] of Object.entries(metrics)) {
    const shown =
      metric.value === null ? `missing: ${metric.missing ?? 'not measured'}` : `${formatNumber(metric.value).padStart(10)} ${metric.unit}`;
    lines.push(`  ${name.padEnd(nameWidth)}  ${shown}`);
  }
  lines.push('', 'ratios, this run:');
  for (const ratio of RATIOS) {
    const numerator = valueOf(metrics, ratio.numerator);
    const denominator = valueOf(metrics, ratio.denominator);
    const quotient = numerator !== null && denominator ? numerator / denominator : null;
    const target = ratio.target === undefined ? '' : `  target ${boundText(ratio.target)}  ${verdict(quotient, ratio.target)}`;
    lines.push(`  ${ratio.label.padEnd(32)} ${(quotient === null ? 'n/a' : quotient.toFixed(2)).padStart(8)}${target}`);
  }
  lines.push('', 'targets:');
  for (const target of TARGETS) {
    const value = valueOf(metrics, target.metric);
    const shown = value === null ? 'n/a' : formatNumber(value);
    lines.push(
      `  ${target.metric.padEnd(nameWidth)}  ${shown.padStart(10)}  target ${boundText(target).padEnd(10)}  ${verdict(value, target)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function writeResults(file: string, machine: MachineInfo, metrics: Metrics): void {
  writeFileSync(file, `${JSON.stringify({ machine, metrics }, null, 2)}\n`);
}

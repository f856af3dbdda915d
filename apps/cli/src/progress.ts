/**
 * Long operator work shows its progress on stderr: a bar redrawn in place on a terminal (done,
 * total, events/s, ETA), plain lines every few seconds otherwise (logs, CI).
 */
export class Progress {
  private readonly startedAt = Date.now();
  private lastLineAt = 0;
  private done = 0;

  constructor(
    private readonly label: string,
    /** How much there is to do, when known: it gives the bar and the ETA. */
    private readonly total: number | undefined,
    /** What is counted, as the rate names it. */
    private readonly unit = 'events',
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number): void {
    this.done = done;
    const now = Date.now();
    if (this.out.isTTY) {
      this.out.write(`\r${this.line(now)}\x1b[K`);
    } else if (now - this.lastLineAt >= PLAIN_LINE_INTERVAL_MS) {
      this.lastLineAt = now;
      this.out.write(`${this.line(now)}\n`);
    }
  }

  finish(summary: string): void {
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1);
    this.out.write(`${this.out.isTTY ? '\r\x1b[K' : ''}${this.label}: ${summary} in ${seconds} s\n`);
  }

  private line(now: number): string {
    const elapsed = Math.max((now - this.startedAt) / 1000, 0.001);
    const rate = this.done / elapsed;
    const parts = [`${this.label}: ${this.done.toLocaleString('en')}`];
    if (this.total !== undefined && this.total > 0) {
      const share = Math.min(this.done / this.total, 1);
      const filled = Math.round(share * BAR_WIDTH);
      parts[0] = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.floor(share * 100)}% ${this.done.toLocaleString('en')}/${this.total.toLocaleString('en')}`;
      const remaining = rate > 0 ? Math.max(this.total - this.done, 0) / rate : undefined;
      parts.push(
        `${Math.round(rate).toLocaleString('en')} ${this.unit}/s`,
        `ETA ${remaining === undefined ? '?' : `${Math.ceil(remaining)} s`}`,
      );
    } else {
      parts.push(`${Math.round(rate).toLocaleString('en')} ${this.unit}/s`);
    }
    return parts.join('  ');
  }
}

const BAR_WIDTH = 30;
const PLAIN_LINE_INTERVAL_MS = 2000;

/** How many events the log holds, when its positions count them (the embedded log's do). */
export const countedEvents = (headPosition: string | undefined): number | undefined =>
  headPosition === undefined ? 0 : /^\d+$/.test(headPosition) ? Number(headPosition) : undefined;

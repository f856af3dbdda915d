/**
 * Long operator work shows its progress on stderr: a bar redrawn in place on a terminal (done,
 * total, events/s, ETA), plain lines every few seconds otherwise (logs, CI), without the bar.
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
    private readonly out: Pick<NodeJS.WriteStream, 'isTTY' | 'write'> = process.stderr,
  ) {}

  update(done: number): void {
    this.done = done;
    const now = Date.now();
    if (this.out.isTTY) {
      this.out.write(`\r${this.barLine(now)}\x1b[K`);
    } else if (now - this.lastLineAt >= PLAIN_LINE_INTERVAL_MS) {
      this.lastLineAt = now;
      this.out.write(`${this.plainLine(now)}\n`);
    }
  }

  finish(summary: string): void {
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1);
    this.out.write(`${this.out.isTTY ? '\r\x1b[K' : ''}${this.label}: ${summary} in ${seconds} s\n`);
  }

  /** An empty log has nothing to count, nor a rate. */
  private get nothingToDo(): boolean {
    return this.done === 0 && this.total === 0;
  }

  private rate(now: number): number {
    return this.done / Math.max((now - this.startedAt) / 1000, 0.001);
  }

  /** Seconds left at the rate so far, when there is a total and a rate to tell. */
  private secondsLeft(rate: number): number | undefined {
    return this.total === undefined || rate <= 0 ? undefined : Math.ceil(Math.max(this.total - this.done, 0) / rate);
  }

  /** `replay [#####-----] 50% 500/1,000  5,000 events/s  ETA 1 s`, redrawn in place. */
  private barLine(now: number): string {
    if (this.nothingToDo) return `${this.label}: no ${this.unit} to read`;
    const rate = this.rate(now);
    const perSecond = `${count(rate)} ${this.unit}/s`;
    if (this.total === undefined || this.total <= 0) return [`${this.label}: ${count(this.done)}`, perSecond].join('  ');
    const share = Math.min(this.done / this.total, 1);
    const filled = Math.round(share * BAR_WIDTH);
    const left = this.secondsLeft(rate);
    return [
      `${this.label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.floor(share * 100)}% ${count(this.done)}/${count(this.total)}`,
      perSecond,
      `ETA ${left === undefined ? '?' : `${left} s`}`,
    ].join('  ');
  }

  /** `replay: 500 of 1,000 events (50%), 5,000 events/s, about 1 s left`: for logs, no bar. */
  private plainLine(now: number): string {
    if (this.nothingToDo) return `${this.label}: no ${this.unit} to read`;
    const rate = this.rate(now);
    const perSecond = `${count(rate)} ${this.unit}/s`;
    if (this.total === undefined || this.total <= 0) return `${this.label}: ${count(this.done)} ${this.unit}, ${perSecond}`;
    // The log may grow while it is read: the count it had at the start is no ceiling.
    const total = Math.max(this.total, this.done);
    const left = this.secondsLeft(rate);
    const parts = [
      `${this.label}: ${count(this.done)} of ${count(total)} ${this.unit} (${Math.floor((this.done / total) * 100)}%)`,
      perSecond,
    ];
    if (left !== undefined && left > 0) parts.push(`about ${left} s left`);
    return parts.join(', ');
  }
}

const count = (value: number): string => Math.round(value).toLocaleString('en');

const BAR_WIDTH = 30;
const PLAIN_LINE_INTERVAL_MS = 2000;

/** How many events the log holds, when its positions count them (the embedded log's do). */
export const countedEvents = (headPosition: string | undefined): number | undefined =>
  headPosition === undefined ? 0 : /^\d+$/.test(headPosition) ? Number(headPosition) : undefined;

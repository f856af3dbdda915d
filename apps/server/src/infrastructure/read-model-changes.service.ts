import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { type ChangedDocument, documentKey, type ProjectionRunner } from '#readmodel';

/** How long a wait lasts without word from a projection in this process: another process may run them. */
const UNNOTIFIED_RECHECK_MS = 250;

/**
 * Wakes requests waiting for a read-model document to change, as the projections of this process
 * commit. A process without projections is never told: its waits end after a short recheck
 * interval instead, so that the caller reads again. At shutdown every wait ends at once: the
 * HTTP server closes only when the requests waiting have been answered.
 */
@Injectable()
export class ReadModelChanges implements BeforeApplicationShutdown {
  private readonly waiting = new Map<string, Set<() => void>>();
  private projectionsRunHere = false;
  private shuttingDown = false;

  /** True once the server is shutting down: a waiting request should answer with what it has. */
  get closing(): boolean {
    return this.shuttingDown;
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
    const wakers = [...this.waiting.values()].flatMap((set) => [...set]);
    this.waiting.clear();
    for (const wake of wakers) wake();
  }

  /** Follows the commits of a projection running in this process. */
  follow(runner: ProjectionRunner): void {
    this.projectionsRunHere = true;
    runner.onCommitted((changed) => this.committed(changed));
  }

  private committed(changed: readonly ChangedDocument[]): void {
    for (const { collection, id } of changed) {
      const key = documentKey(collection, id);
      const wakers = this.waiting.get(key);
      if (wakers === undefined) continue;
      this.waiting.delete(key);
      for (const wake of wakers) wake();
    }
  }

  /**
   * Resolves when the document next changes, or after `timeoutMs` at the latest. Register before
   * reading, then read, then await: a change in between is not missed.
   */
  nextChange(collection: string, id: string, timeoutMs: number): { changed: Promise<void>; cancel: () => void } {
    const key = documentKey(collection, id);
    let wake!: () => void;
    const changed = new Promise<void>((resolve) => (wake = resolve));
    let wakers = this.waiting.get(key);
    if (wakers === undefined) this.waiting.set(key, (wakers = new Set()));
    wakers.add(wake);
    const timer = setTimeout(
      wake,
      this.shuttingDown ? 0 : this.projectionsRunHere ? timeoutMs : Math.min(timeoutMs, UNNOTIFIED_RECHECK_MS),
    );
    const cancel = () => {
      clearTimeout(timer);
      const current = this.waiting.get(key);
      current?.delete(wake);
      if (current?.size === 0) this.waiting.delete(key);
      wake();
    };
    void changed.then(cancel);
    return { changed, cancel };
  }
}

import type { RecordedEvent } from '../event-store.port.js';

/** Freezes the event and everything in it: one object handed to every reader must not be changed by one of them. */
const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
};

/**
 * The events this process committed last, by position. Every follower of the log (each
 * projection, the session engine) reads each new event right after it was written: served from
 * here, it is read and parsed once instead of once per follower. Only an unbroken run from the
 * position asked for is served, so an event another process committed in between is always read
 * from the file.
 */
export class RecentEvents {
  private readonly byPosition = new Map<number, RecordedEvent>();

  constructor(private readonly capacity: number) {}

  /** Events just committed, in position order. */
  add(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      this.byPosition.set(Number(event.position), deepFreeze(event));
    }
    for (const position of this.byPosition.keys()) {
      if (this.byPosition.size <= this.capacity) break;
      this.byPosition.delete(position);
    }
  }

  /** The events right after `position`, as far as they are here without a gap; at most `maxCount`. */
  after(position: bigint, maxCount: number): RecordedEvent[] {
    const found: RecordedEvent[] = [];
    for (let next = Number(position) + 1; found.length < maxCount; next++) {
      const event = this.byPosition.get(next);
      if (event === undefined) break;
      found.push(event);
    }
    return found;
  }
}

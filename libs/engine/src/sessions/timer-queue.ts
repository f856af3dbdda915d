/**
 * Work items ordered by due time, each known by id: a binary heap with removal by id (removed
 * entries are skipped when they reach the top).
 */
export class TimerQueue<Item extends { id: string; dueAtMs: number }> {
  private readonly heap: Item[] = [];
  private readonly live = new Map<string, Item>();

  get size(): number {
    return this.live.size;
  }

  has(id: string): boolean {
    return this.live.has(id);
  }

  /** Adds the item; one with the same id is replaced. */
  add(item: Item): void {
    this.live.set(item.id, item);
    this.heap.push(item);
    this.siftUp(this.heap.length - 1);
  }

  remove(id: string): void {
    this.live.delete(id);
  }

  /** The earliest item, without taking it. */
  peek(): Item | undefined {
    this.dropRemoved();
    return this.heap[0];
  }

  /** Takes the items due at `nowMs`, earliest first, at most `limit` of them. */
  takeDue(nowMs: number, limit = Infinity): Item[] {
    const due: Item[] = [];
    for (let next = this.peek(); next !== undefined && next.dueAtMs <= nowMs && due.length < limit; next = this.peek()) {
      this.pop();
      this.live.delete(next.id);
      due.push(next);
    }
    return due;
  }

  private dropRemoved(): void {
    while (this.heap.length > 0 && this.live.get(this.heap[0].id) !== this.heap[0]) this.pop();
  }

  private pop(): void {
    const last = this.heap.pop();
    if (last === undefined || this.heap.length === 0) return;
    this.heap[0] = last;
    this.siftDown(0);
  }

  private siftUp(index: number): void {
    for (let child = index; child > 0;) {
      const parent = (child - 1) >> 1;
      if (this.heap[parent].dueAtMs <= this.heap[child].dueAtMs) return;
      this.swap(parent, child);
      child = parent;
    }
  }

  private siftDown(index: number): void {
    for (let parent = index; ;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < this.heap.length && this.heap[left].dueAtMs < this.heap[smallest].dueAtMs) smallest = left;
      if (right < this.heap.length && this.heap[right].dueAtMs < this.heap[smallest].dueAtMs) smallest = right;
      if (smallest === parent) return;
      this.swap(parent, smallest);
      parent = smallest;
    }
  }

  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.heap[b], this.heap[a]];
  }
}

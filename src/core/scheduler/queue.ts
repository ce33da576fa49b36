/**
 * The ready queue: a growable ring buffer of (item, due time) entries, O(1)
 * push and shift without the array reindexing of Array#shift. The due time (the
 * logical ns the resumption was due, for lag measurement and for ordering work
 * from outside against timers) belongs to the entry, not to the task: a task
 * then needs no field for it, and the times live unboxed in a Float64Array.
 */
export class ReadyQueue<T> {
  private items: (T | undefined)[] = new Array(1024);
  private due = new Float64Array(1024);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(item: T, dueNs: number): void {
    if (this.count === this.items.length) this.grow();
    const i = (this.head + this.count) & (this.items.length - 1);
    this.items[i] = item;
    this.due[i] = dueNs;
    this.count++;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  /** The due time of the entry `peek` returns (read it before `shift`). */
  peekDue(): number {
    return this.due[this.head];
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    return item;
  }

  /** The entry `i` places from the head (0 = what `peek` returns): the debugger's view of the queue. */
  at(i: number): T | undefined {
    return i < 0 || i >= this.count ? undefined : this.items[(this.head + i) & (this.items.length - 1)];
  }

  /** The due time of entry `i`. */
  dueAt(i: number): number {
    return this.due[(this.head + i) & (this.items.length - 1)];
  }

  /**
   * Takes out entry `i`, the others keeping their order (O(n): only a debugger
   * or the interleaving explorer runs a task out of turn, never the run loops).
   */
  removeAt(i: number): T | undefined {
    if (i === 0) return this.shift();
    if (i < 0 || i >= this.count) return undefined;
    const mask = this.items.length - 1;
    const item = this.items[(this.head + i) & mask];
    for (let k = i; k < this.count - 1; k++) {
      const to = (this.head + k) & mask;
      const from = (to + 1) & mask;
      this.items[to] = this.items[from];
      this.due[to] = this.due[from];
    }
    this.items[(this.head + this.count - 1) & mask] = undefined;
    this.count--;
    return item;
  }

  private grow(): void {
    const old = this.items;
    const oldDue = this.due;
    const mask = old.length - 1;
    const next: (T | undefined)[] = new Array(old.length * 2);
    const due = new Float64Array(old.length * 2);
    for (let i = 0; i < this.count; i++) {
      const j = (this.head + i) & mask;
      next[i] = old[j];
      due[i] = oldDue[j];
    }
    this.items = next;
    this.due = due;
    this.head = 0;
  }
}

/** What the heap needs of an item: the key of the timer it is waiting on, or -1. */
export interface TimerOwner {
  timerSeq: number;
}

/**
 * A binary min-heap of timers ordered by (time, insertion order), so equal
 * times keep FIFO order. Entries live in parallel arrays rather than objects:
 * arming a timer allocates nothing, and a timer costs 24 bytes instead of an
 * object and a boxed time (100k sleepers are 100k timers). Cancelling is lazy:
 * an entry is live while its item's `timerSeq` is the entry's seq, and stale
 * entries are dropped when they reach the top, or all at once when they come to
 * outnumber the live ones (a stale entry still holds its task, so cancelled long
 * sleeps must not pile up).
 */
export class TimerHeap<T extends TimerOwner> {
  private at = new Float64Array(256);
  private seq = new Float64Array(256);
  private items: (T | null)[] = [];
  private count = 0;
  private nextSeq = 0;
  /** Cancelled entries still in the arrays. */
  private stale = 0;

  /** Entries held, cancelled ones included. */
  get size(): number {
    return this.count;
  }

  /** Arms a timer for `item` at `at`; it replaces any timer the item had. */
  push(at: number, item: T): void {
    if (this.count === this.at.length) this.grow();
    const seq = this.nextSeq++;
    item.timerSeq = seq;
    const times = this.at;
    const seqs = this.seq;
    const items = this.items;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pa = times[parent];
      if (pa < at || (pa === at && seqs[parent] < seq)) break;
      times[i] = pa;
      seqs[i] = seqs[parent];
      items[i] = items[parent];
      i = parent;
    }
    times[i] = at;
    seqs[i] = seq;
    items[i] = item;
  }

  /** Disarms the item's timer (its entry is dropped when it reaches the top, or in a compaction). */
  cancel(item: T): void {
    if (item.timerSeq === -1) return;
    item.timerSeq = -1;
    this.stale++;
    if (this.stale > 64 && this.stale * 2 > this.count) this.compact();
  }

  /** The time of the earliest live timer, dropping cancelled ones on the way; undefined if none. */
  peekAt(): number | undefined {
    while (this.count > 0) {
      if (this.items[0]!.timerSeq === this.seq[0]) return this.at[0];
      this.stale--;
      this.removeTop();
    }
    return undefined;
  }

  /** Removes the earliest live timer and returns its item (call after peekAt found one). */
  pop(): T {
    const item = this.items[0]!;
    item.timerSeq = -1;
    this.removeTop();
    return item;
  }

  /** Every live timer as [time, item], in the order they fire (a debugger's view: a copy, sorted). */
  entries(): [number, T][] {
    const live: [number, number, T][] = [];
    for (let i = 0; i < this.count; i++) {
      const item = this.items[i]!;
      if (item.timerSeq === this.seq[i]) live.push([this.at[i], this.seq[i], item]);
    }
    live.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return live.map(([at, , item]) => [at, item]);
  }

  private removeTop(): void {
    const n = --this.count;
    const times = this.at;
    const seqs = this.seq;
    const items = this.items;
    const lastAt = times[n];
    const lastSeq = seqs[n];
    const lastItem = items[n];
    items[n] = null;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n) {
        const tl = times[l];
        const tr = times[r];
        // Which child is smaller is a coin toss for random times: arithmetic, not a branch, picks it.
        c = l + +(tr < tl) + +(tr === tl && seqs[r] < seqs[l]);
      }
      const ca = times[c];
      if (lastAt < ca || (lastAt === ca && lastSeq < seqs[c])) break;
      times[i] = ca;
      seqs[i] = seqs[c];
      items[i] = items[c];
      i = c;
    }
    times[i] = lastAt;
    seqs[i] = lastSeq;
    items[i] = lastItem;
  }

  /** Drops every stale entry and restores heap order (Floyd's heapify, O(n)). */
  private compact(): void {
    const times = this.at;
    const seqs = this.seq;
    const items = this.items;
    let n = 0;
    for (let i = 0; i < this.count; i++) {
      const item = items[i]!;
      if (item.timerSeq !== seqs[i]) continue;
      times[n] = times[i];
      seqs[n] = seqs[i];
      items[n] = item;
      n++;
    }
    for (let i = n; i < this.count; i++) items[i] = null;
    this.count = n;
    this.stale = 0;
    for (let start = (n >> 1) - 1; start >= 0; start--) {
      const at = times[start];
      const seq = seqs[start];
      const item = items[start];
      let i = start;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && (times[r] < times[l] || (times[r] === times[l] && seqs[r] < seqs[l]))) c = r;
        if (at < times[c] || (at === times[c] && seq < seqs[c])) break;
        times[i] = times[c];
        seqs[i] = seqs[c];
        items[i] = items[c];
        i = c;
      }
      times[i] = at;
      seqs[i] = seq;
      items[i] = item;
    }
  }

  private grow(): void {
    const at = new Float64Array(this.at.length * 2);
    at.set(this.at);
    this.at = at;
    const seq = new Float64Array(this.seq.length * 2);
    seq.set(this.seq);
    this.seq = seq;
  }
}

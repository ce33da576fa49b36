/** A binary min-heap of timers ordered by (time, insertion order), so equal times keep FIFO order. */
export interface TimerEntry<T> {
  at: number;
  seq: number;
  item: T | null; // null once cancelled (lazy deletion)
}

export class TimerHeap<T> {
  private readonly entries: TimerEntry<T>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.entries.length;
  }

  push(at: number, item: T): TimerEntry<T> {
    const entry: TimerEntry<T> = { at, seq: this.nextSeq++, item };
    const a = this.entries;
    a.push(entry);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, a[parent])) break;
      a[i] = a[parent];
      i = parent;
    }
    a[i] = entry;
    return entry;
  }

  /** The earliest live entry, dropping cancelled ones on the way. */
  peek(): TimerEntry<T> | undefined {
    const a = this.entries;
    while (a.length > 0 && a[0].item === null) this.pop();
    return a[0];
  }

  pop(): TimerEntry<T> | undefined {
    const a = this.entries;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      const n = a.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(a[r], a[l]) ? r : l;
        if (!before(a[c], last)) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

function before<T>(x: TimerEntry<T>, y: TimerEntry<T>): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}

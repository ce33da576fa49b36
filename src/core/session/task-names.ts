import type { Task } from '../scheduler/task';

/**
 * The short names a session gives the tasks a user refers to (t1, t2 ...,
 * counted per source), by `source/name`, for as long as each task lives or
 * until its source is played again.
 */
export class TaskNames {
  private readonly byKey = new Map<string, Task<unknown>>();
  private readonly byTask = new Map<number, string>();
  private readonly next = new Map<string, number>();

  /** A source of a name none of whose named tasks is alive counts its tasks from t1 again (a terminal opened again). */
  restartIfIdle(source: string, live: ReadonlyMap<number, Task<unknown>>): void {
    if (![...this.byTask.keys()].some((id) => live.get(id)?.source === source)) this.next.delete(source);
  }

  /**
   * A source played again: the names of its tasks but those `keep` picks (the
   * live loops the new copy swaps) are freed now, even of tasks still ending,
   * and it counts from t1 again, past the names kept.
   */
  restart(source: string, keep: (task: Task<unknown>) => boolean): void {
    for (const [k, task] of [...this.byKey]) {
      if (task.source !== source || keep(task)) continue;
      this.byKey.delete(k);
      this.byTask.delete(task.id);
    }
    this.next.delete(source);
  }

  /** The task's name, given now if it has none (`announce` is told the new name). */
  name(task: Task<unknown>, announce: (alias: string) => void): string {
    const existing = this.byTask.get(task.id);
    if (existing !== undefined) return existing;
    let count = this.next.get(task.source) ?? 1;
    while (this.byKey.has(key(task.source, `t${count}`))) count++; // a name a kept task still holds
    this.next.set(task.source, count + 1);
    const name = `t${count}`;
    const k = key(task.source, name);
    this.byKey.set(k, task);
    this.byTask.set(task.id, name);
    announce(name);
    task.onEnd(() => {
      // Only if the name is still this task's: its source may have been played again and the name given anew.
      if (this.byKey.get(k) === task) this.byKey.delete(k);
      if (this.byTask.get(task.id) === name) this.byTask.delete(task.id);
    });
    return name;
  }

  /** The name of a task as `source` writes it: `t1` for its own tasks, `SOURCE/t1` for another source's. */
  nameOf(task: Task<unknown>, source: string): string | undefined {
    const name = this.byTask.get(task.id);
    return name === undefined || task.source === source ? name : `${task.source}/${name}`;
  }

  /** The task's own name (as its source writes it), if it has one. */
  alias(id: number): string | undefined {
    return this.byTask.get(id);
  }

  /** A live task by name as `source` writes it (t3, or other.txt/t3). */
  find(ref: string, source: string): Task<unknown> | undefined {
    const slash = ref.lastIndexOf('/');
    return slash < 0 ? this.byKey.get(key(source, ref)) : this.byKey.get(key(ref.slice(0, slash), ref.slice(slash + 1)));
  }
}

function key(source: string, name: string): string {
  return `${source}/${name.toLowerCase()}`;
}

import type { Scheduler } from '../scheduler/scheduler';
import { Future } from '../scheduler/future';
import { Task } from '../scheduler/task';
import { nsToSeconds } from '../time';

/**
 * What the stepper shows of the scheduler while it stands still: the ready
 * queue in the order the next steps run it, the timers in the order they
 * fire, and the await tree (who awaits whom, as `python -m asyncio pstree`
 * prints it). Plain data for the app, and text for the CLI.
 */

/** What a debugger needs to inspect: the scheduler, and the tasks that have not ended (the session keeps those). */
export interface DebugTarget {
  readonly scheduler: Scheduler;
  liveTasks(): Task<unknown>[];
}

/** A task as the debugger names it: id, its command as written, and where that is. */
export interface TaskView {
  id: number;
  name: string;
  source: string;
  line: number | null;
  /** The column its command begins at (1-based), with `line`: where an editor lights it. */
  col: number | null;
}

export function viewOf(task: Task<unknown>): TaskView {
  return { id: task.id, name: task.name, source: task.pos?.source ?? task.source, line: task.pos?.line ?? null, col: task.pos?.col ?? null };
}

/** `task 5 "beep C4 1" (song.txt:3)`: one task in a line of text. */
export function describeTask(task: TaskView): string {
  const where = task.line === null ? task.source : `${task.source}:${task.line}`;
  return `task ${task.id} ${JSON.stringify(task.name)} (${where})`;
}

/** What a task awaits, in the words of the tree: a task, several, a cue or another future, a timer, or nothing. */
export type AwaitView =
  | { kind: 'ready' }
  | { kind: 'running' }
  | { kind: 'sleep'; until: number }
  | { kind: 'block' }
  | { kind: 'tasks'; ids: number[] }
  | { kind: 'future'; label: string }
  | { kind: 'ended'; state: string };

export interface AwaitNode {
  task: TaskView;
  awaits: AwaitView;
  /** The tasks this one awaits, each with what it awaits in turn. */
  children: AwaitNode[];
}

export interface TimerView {
  at: number;
  task: TaskView;
}

export function readyView(target: DebugTarget): TaskView[] {
  return target.scheduler.readyTasks().map(viewOf);
}

export function timersView(target: DebugTarget): TimerView[] {
  return target.scheduler.timerEntries().map(([at, task]) => ({ at: nsToSeconds(at), task: viewOf(task) }));
}

/** What `task` awaits now (`wakes`: each sleeper's wake time, ns). */
export function awaitOf(task: Task<unknown>, wakes: Map<Task<unknown>, number>): AwaitView {
  switch (task.state) {
    case 'ready':
      return { kind: 'ready' };
    case 'running':
      return { kind: 'running' };
    case 'blocking':
      return { kind: 'block' };
    case 'sleeping':
      return { kind: 'sleep', until: nsToSeconds(wakes.get(task) ?? 0) };
    case 'waiting': {
      const on = task.waitingOn;
      if (on instanceof Task) return { kind: 'tasks', ids: [on.id] };
      if (on instanceof Future) return on.awaits !== null ? { kind: 'tasks', ids: [...on.awaits] } : { kind: 'future', label: on.label };
      return { kind: 'future', label: 'something' };
    }
    default:
      return { kind: 'ended', state: task.state };
  }
}

/** The await tree: roots are the tasks nobody awaits; under each, what it awaits. */
export function awaitTree(target: DebugTarget): AwaitNode[] {
  const tasks = target.liveTasks();
  const wakes = new Map(target.scheduler.timerEntries().map(([at, task]) => [task, at]));
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const awaits = new Map(tasks.map((t) => [t.id, awaitOf(t, wakes)]));
  const awaited = new Set<number>();
  for (const a of awaits.values()) if (a.kind === 'tasks') for (const id of a.ids) if (byId.has(id)) awaited.add(id);
  const build = (task: Task<unknown>, seen: Set<number>): AwaitNode => {
    const a = awaits.get(task.id)!;
    const children: AwaitNode[] = [];
    if (a.kind === 'tasks') {
      for (const id of a.ids) {
        const child = byId.get(id);
        if (child !== undefined && !seen.has(id)) children.push(build(child, new Set([...seen, id])));
      }
    }
    return { task: viewOf(task), awaits: a, children };
  };
  return tasks.filter((t) => !awaited.has(t.id)).map((t) => build(t, new Set([t.id])));
}

export function describeAwait(a: AwaitView): string {
  switch (a.kind) {
    case 'ready':
      return 'ready';
    case 'running':
      return 'running';
    case 'block':
      return 'blocking';
    case 'sleep':
      return `sleeps until ${formatSeconds(a.until)}`;
    case 'tasks':
      return `awaits ${a.ids.length === 1 ? 'task' : 'tasks'} ${a.ids.join(', ')}`;
    case 'future':
      return `awaits ${a.label}`;
    case 'ended':
      return a.state;
  }
}

/** The tree as `asyncio pstree` draws it: └── and ├── under each awaiter. */
export function formatAwaitTree(roots: AwaitNode[]): string[] {
  const lines: string[] = [];
  const walk = (node: AwaitNode, prefix: string, last: boolean): void => {
    lines.push(`${prefix}${last ? '└── ' : '├── '}${describeTask(node.task)}: ${describeAwait(node.awaits)}`);
    node.children.forEach((child, i) => walk(child, prefix + (last ? '    ' : '│   '), i === node.children.length - 1));
  };
  // Each root a tree of its own, as pstree prints each task nobody awaits.
  for (const root of roots) walk(root, '', true);
  return lines;
}

/** Seconds as the debugger prints them: `1.5 s`, at most to the ns. */
export function formatSeconds(s: number): string {
  return `${Number(s.toFixed(9))} s`;
}

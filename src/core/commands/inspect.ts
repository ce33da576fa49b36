import { commandError, defineCommand, INVALID, type RunContext } from '../language/command';
import { quote } from '../language/diagnostics';
import { Future } from '../scheduler/future';
import { Task } from '../scheduler/task';
import { textOf } from './body';
import { cancelPython, failPython, panicPython, stopPython, tasksPython } from './inspect.python';
import { liveLoopTask } from './live';

// Looking at the running tasks and ending them: asyncio's all_tasks and
// Task.cancel, a source's stop and everything's panic, and a task that fails.

/** Rows a `tasks` listing shows at most (the tasks by id); it ends with how many more there are. */
export const MAX_TASKS_LISTED = 200;

export const tasks = defineCommand({
  name: 'tasks',
  python: tasksPython,
  usage: 'tasks',
  example: 'tasks',
  summary: 'list the running tasks: name, id, state, what each waits on, its command',
  parse(r) {
    r.end();
  },
  *run(_args, ctx) {
    const live = ctx.tasks.live();
    // 20,000 rows, 20 times over, held the host for 422 ms: the first ones, and how many more.
    const rows = live.slice(0, MAX_TASKS_LISTED).map((task) => [
      ctx.tasks.nameOf(task, ctx.source) ?? '-',
      String(task.id),
      task.state,
      waitsOn(task, ctx),
      task.source,
      task.kind === 'source' ? `(source ${task.name})` : task.name,
    ]);
    const table = formatTable(['name', 'id', 'state', 'waits on', 'source', 'command'], rows);
    const more = live.length - rows.length;
    ctx.output(more > 0 ? `${table}\n... and ${more.toLocaleString('en')} more (${live.length.toLocaleString('en')} tasks in all)` : table);
  },
});

function waitsOn(task: Task<unknown>, ctx: RunContext): string {
  const on = task.waitingOn;
  if (on instanceof Task) {
    const name = ctx.tasks.nameOf(on, ctx.source);
    return `task ${on.id}${name !== undefined ? ` (${name})` : ''}`;
  }
  if (on instanceof Future) return on.label;
  if (task.state === 'sleeping') return 'a timer';
  return '';
}

function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

export const cancel = defineCommand({
  name: 'cancel',
  python: cancelPython,
  usage: 'cancel NAME|ID',
  example: 'cancel t1',
  summary: 'cancel a task by its name (t1: this source\'s; SOURCE/t1: another\'s), its id, or a live loop by its name; its notes stop',
  parse(r) {
    const word = r.word('a task name (t1, t2 ...) or id');
    r.end();
    return word ?? INVALID;
  },
  *run(word, ctx, invocation) {
    // A task's name or id first; else a live loop's name (`cancel drums`).
    const task = ctx.tasks.find(word.text, ctx.source) ?? liveLoopTask(ctx, word.text);
    if (task === undefined) {
      throw commandError(
        invocation,
        {
          message: `no running task ${quote(word.text)}: expected the name (t1, t2 ... of this source, or SOURCE/t1) or id of a running task, or the name of a live loop`,
          found: word.text,
          expected: 'a running task or live loop',
          hint: 'type "tasks" to list the running tasks',
        },
        word,
      );
    }
    ctx.tasks.cancel(task);
    const name = ctx.tasks.nameOf(task, ctx.source);
    ctx.output(`cancelled ${name !== undefined ? `${name} (task ${task.id})` : `task ${task.id}`}: ${task.name}`);
  },
});

export const stop = defineCommand({
  name: 'stop',
  python: stopPython,
  usage: 'stop',
  example: 'stop',
  summary: 'cancel every other task of this source (what it spawned, loops, chords) and stop their notes; the source reads on',
  parse(r) {
    r.end();
  },
  *run(_args, ctx) {
    const count = ctx.tasks.stopSource(ctx.source);
    if (count > 0) ctx.output(`stopped ${count} task${count === 1 ? '' : 's'}`);
  },
});

export const panic = defineCommand({
  name: 'panic',
  python: panicPython,
  usage: 'panic',
  example: 'panic',
  summary: 'cancel every other task of every source and silence every note now; the source that ran it reads on',
  parse(r) {
    r.end();
  },
  *run(_args, ctx) {
    const count = ctx.tasks.panic();
    ctx.output(`panic: cancelled ${count} task${count === 1 ? '' : 's'}, silenced every note`);
  },
});

export const fail = defineCommand({
  name: 'fail',
  python: failPython,
  usage: 'fail [MESSAGE]',
  example: 'fail something went wrong',
  summary: 'fail with MESSAGE: an error that travels to whoever waits for this task',
  parse(r, ctx) {
    const words = r.rest();
    return words.length === 0 ? 'failed' : textOf(ctx, words);
  },
  *run(message, _ctx, invocation) {
    throw commandError(invocation, { message });
  },
});


import { createInterface } from 'node:readline';
import { describeAwait, describeTask, formatAwaitTree, formatSeconds } from '../../core/debug/inspect';
import { Stepper, type StepResult } from '../../core/debug/stepper';
import { noteName } from '../../core/language/pitch';
import { Session } from '../../core/session/session';
import { escapeControl } from '../../core/text';
import { secondsToNs } from '../../core/time';
import { DiagnosticPrinter } from './diagnostic-printer';
import { loadScript, type ScriptFile } from './inputs';
import type { Readable } from 'node:stream';

/**
 * `corotone SCRIPT --step`: a small debugger on the virtual clock, as pdb is
 * for Python. It reads one command a line (typed, or from a pipe, so it can
 * be scripted) and prints what happened and the logical time.
 */

export const STEP_HELP = `commands:
  s          step: run exactly one resumption (the first ready task, to its next await)
  n          next instant: run everything at this instant, then move the clock to the next timer
  c          continue to the end, or to a breakpoint
  b LINE     a breakpoint at LINE of the script (b FILE:LINE for another script); b alone lists them
  l ID       step line: run until task ID starts its next command (or ends)
  ready      the ready queue, in the order the next steps run it
  timers     the sleeping tasks, in the order they wake, with their wake times
  tree       the await tree: each task and what it awaits (asyncio pstree)
  q          quit`;

/** What the debugger reads its commands from and writes to (the CLI's standard streams). */
export interface StepperIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export async function runStepper(files: ScriptFile[], limitSeconds: number, io: StepperIO): Promise<number> {
  const out = (text: string): void => void io.stdout.write(`${text}\n`);
  const session = new Session({ recentEvents: 0 });
  const diagnostics = new DiagnosticPrinter((text) => void io.stderr.write(text));
  const unsubscribe = session.subscribe((event) => {
    if (event.type === 'diagnostic') diagnostics.print(event.diagnostic);
    else if (event.type === 'output') out(`  | ${escapeControl(event.text)}`);
    else if (event.type === 'notes') out(`  ♪ ${formatSeconds(event.t)}: ${event.notes.length === 0 ? 'silence' : event.notes.map(noteName).join(' ')}`);
  });
  for (const file of files) loadScript(session, file);
  const stepper = new Stepper(session, secondsToNs(limitSeconds));
  const interactive = io.stdin.isTTY === true;
  out(`corotone --step: ${files.map((f) => f.name).join(', ')}, paused at ${formatSeconds(stepper.nowSeconds)}; h for the commands`);
  const prompt = (): void => {
    if (interactive) io.stdout.write('(step) ');
  };
  prompt();
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const word = line.trim();
    if (word === 'q' || word === 'quit') break;
    if (word !== '') {
      if (interactive === false) out(`(step) ${escapeControl(word)}`);
      for (const text of obey(word, stepper, session, files[0].name)) out(text);
    }
    prompt();
  }
  lines.close();
  unsubscribe();
  if (!session.ended) session.quit();
  return 0;
}

/** One command's answer, as lines of text. */
export function obey(command: string, stepper: Stepper, session: Session, script: string): string[] {
  const [verb, ...args] = command.split(/\s+/);
  switch (verb) {
    case 's':
      return describeResult(stepper.step());
    case 'n':
      return describeResult(stepper.nextInstant());
    case 'c':
      return describeResult(stepper.continue());
    case 'b':
      return breakpoint(args, stepper, script);
    case 'l': {
      const task = session.liveTasks().find((t) => String(t.id) === args[0]);
      if (task === undefined) return [`l: no live task ${JSON.stringify(args[0] ?? '')}: expected the id of a task (ready, timers and tree list them)`];
      return describeResult(stepper.stepLine(task));
    }
    case 'ready': {
      const ready = stepper.ready();
      return [`ready at ${formatSeconds(stepper.nowSeconds)}: ${ready.length === 0 ? 'none' : `${ready.length}, in the order they run`}`, ...ready.map((t, i) => `  ${i + 1}. ${describeTask(t)}`)];
    }
    case 'timers': {
      const timers = stepper.timers();
      return [`timers at ${formatSeconds(stepper.nowSeconds)}: ${timers.length === 0 ? 'none' : timers.length}`, ...timers.map((x) => `  ${formatSeconds(x.at)}  ${describeTask(x.task)}`)];
    }
    case 'tree': {
      const tree = formatAwaitTree(stepper.tree());
      return [`await tree at ${formatSeconds(stepper.nowSeconds)}:`, ...(tree.length === 0 ? ['  (no task is alive)'] : tree)];
    }
    case 'h':
    case 'help':
      return [STEP_HELP];
    default:
      return [`unknown command ${JSON.stringify(escapeControl(command))}: expected s, n, c, b LINE, l ID, ready, timers, tree, q or h`];
  }
}

function breakpoint(args: string[], stepper: Stepper, script: string): string[] {
  if (args.length === 0) {
    const list = stepper.breakpointList;
    return list.length === 0 ? ['no breakpoints'] : list.map((b, i) => `breakpoint ${i + 1} at ${b.source}:${b.line}`);
  }
  const match = /^(?:(.+):)?(\d+)$/.exec(args[0]);
  if (match === null || args.length > 1 || Number(match[2]) < 1) return [`b: expected a line number (b 12) or FILE:LINE, not ${JSON.stringify(escapeControl(args.join(' ')))}`];
  const bp = { source: match[1] ?? script, line: Number(match[2]) };
  stepper.addBreakpoint(bp);
  return [`breakpoint ${stepper.breakpointList.length} at ${bp.source}:${bp.line}; now at ${formatSeconds(stepper.nowSeconds)}`];
}

/** What a step did, one resumption a line, and where the clock stands. */
export function describeResult(result: StepResult): string[] {
  const lines: string[] = [];
  const moved = result.moved === undefined ? null : `time moves to ${formatSeconds(result.moved.to)}`;
  if (moved !== null && result.moved!.after === 0) lines.push(moved);
  for (const r of result.resumptions) lines.push(`[${formatSeconds(r.t)}] ran ${describeTask(r.task)}: ${describeAwait(r.after)}`);
  if (result.count > result.resumptions.length) lines.push(`... and ${result.count - result.resumptions.length} more resumptions`);
  if (moved !== null && result.moved!.after > 0) lines.push(moved);
  const at = `at ${formatSeconds(result.t)}`;
  switch (result.stop) {
    case 'breakpoint':
      lines.push(`breakpoint: ${describeTask(result.at!)} is next, ${at}`);
      break;
    case 'idle':
      lines.push(`nothing left to run: the script has ended, ${at}`);
      break;
    case 'limit':
      lines.push(`stopped at the limit, ${at} (--until)`);
      break;
    case 'count':
      lines.push(`stopped after ${result.count.toLocaleString('en-US')} resumptions, ${at} (c again goes on)`);
      break;
    default:
      lines.push(`${result.count} resumption${result.count === 1 ? '' : 's'}; now ${at}`);
  }
  return lines;
}

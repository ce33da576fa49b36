import { CommandTable, defineCommand, INVALID, type AnyCommand, type Invocation } from '../language/command';
import { quote } from '../language/diagnostics';
import type { Token } from '../language/tokens';
import { join } from '../scheduler/ops';
import { sequencePython } from './body.python';
import { quitPython } from './control.python';

// The commands about the session itself: a sequence on one line, help, and quitting.

/** Splits words at `;` into the word lists of commands (empty ones dropped). */
export function splitSequence(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    if (token.text === ';') {
      if (current.length > 0) parts.push(current);
      current = [];
    } else current.push(token);
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

export const evalCommand = defineCommand({
  name: 'eval',
  python: sequencePython,
  usage: 'eval A; B; C',
  example: 'eval beep C5 0.2; beep E5 0.2; beep G5 0.4',
  summary: 'run the ;-separated commands one after another',
  sequence: true,
  parse(r, ctx) {
    const parts = splitSequence(r.rest());
    if (parts.length === 0) r.missing('a command');
    const invocations: Invocation[] = [];
    for (const words of parts) {
      const invocation = ctx.parseCommand(words);
      if (invocation !== null) invocations.push(invocation);
    }
    return invocations;
  },
  *run(parts, ctx) {
    for (const part of parts) yield* join(ctx.spawn(part));
  },
});

export const quit = defineCommand({
  name: 'quit',
  python: quitPython,
  aliases: ['exit'],
  usage: 'quit',
  summary: 'end this source: stop reading it, cancel its tasks, stop their notes (the CLI: end the session, as the demo does)',
  parse(r) {
    r.end();
  },
  *run(_args, ctx) {
    ctx.quit();
  },
});

export const help = defineCommand({
  name: 'help',
  usage: 'help [CMD]',
  example: 'help chord',
  summary: 'list the commands, or show how to use one',
  parse(r, ctx) {
    const word = r.peek();
    if (word === undefined) return null;
    r.word('a command name');
    r.end();
    const spec = ctx.table.get(word.text);
    if (spec === undefined) {
      const suggestion = ctx.table.suggest(word.text);
      r.error(word, {
        message: `unknown command ${quote(word.text)}: expected a command name`,
        found: word.text,
        expected: 'a command name',
        hint: suggestion !== undefined ? `did you mean "${suggestion}"?` : 'type "help" for the list of commands',
      });
      return INVALID;
    }
    return spec.name;
  },
  *run(name, ctx) {
    ctx.output(helpText(ctx.table, name ?? undefined));
  },
});

/** How `help` ends: what N, S and CMD stand for. */
export const HELP_LEGEND = [
  'N is a note: 0..127 or a name (C5 = 60, A4 = 57, F#3, Eb4), or a sum (C5+7, ROOT-12).',
  'S is beats (2, 0.5, .25; a beat is a second at the default bpm 60) or absolute (250ms, 1.5s); block and offload take seconds.',
  'Chance goes where a value goes: choose(C5,E5,G5), rand(0.1,0.3), tick(C5,E5) (the next each time); seed N repeats it.',
  'Chords and scales by name: chord 1 E3:minor, choose(scale(C4,major)), tick(chord(E3,minor)).',
  'CMD is a command; it takes the rest of the line, and "A; B" in it is a sequence. "CMD &" runs it in the background.',
  'Note options (add, beep, chord, seq), for that note only: amp=A (0..1 or chance), env=A,D,S,R, synth=T, pan=P (-1..1), fx=NAME:ARG.',
  'Every note is a voice of the task that started it: cancel, stop, panic, a failure or the end of its script stop it.',
  'Task names t1, t2 ... count per source; another source\'s task is SOURCE/t1. panic and stop spare the source that ran them.',
  'amp, env, synth and bpm belong to the task that sets them (a line\'s: its source\'s); a spawned task or live loop starts with its spawner\'s.',
].join('\n');

/** What `help` prints: every command with its usage and summary, or one command. */
export function helpText(table: CommandTable, name?: string): string {
  if (name !== undefined) {
    const spec = table.get(name);
    if (spec !== undefined) return describe(spec, 0) + (spec.example !== undefined ? `\n  example: ${spec.example}` : '') + `\n${legendFor(spec)}`;
  }
  const all = [...table.commands, ...table.definitions()];
  const width = Math.max(...all.map((c) => c.usage.length));
  const lines = table.commands.map((c) => `  ${describe(c, width)}`);
  const defined = table.definitions().map((c) => `  ${describe(c, width)}`);
  const phrases = defined.length > 0 ? `\nphrases (def):\n${defined.join('\n')}` : '';
  return `commands:\n${lines.join('\n')}${phrases}\n${HELP_LEGEND}`;
}

/**
 * The lines of the legend one command's help needs: those about what its usage
 * and summary mention (N, S, CMD, a note's options, task names), the general
 * ones left to `help`; at least the first.
 */
export function legendFor(spec: AnyCommand): string {
  const text = `${spec.usage} ${spec.summary}`;
  const wanted = [/\bN\b/, /\bS\b/, /$^/, /E3:minor/, /\bCMD\b/, /amp=/, /$^/, /\bt1\b/, /\bthis task\b/];
  const lines = HELP_LEGEND.split('\n').filter((_, i) => wanted[i].test(text));
  return (lines.length > 0 ? lines : HELP_LEGEND.split('\n').slice(0, 1)).join('\n');
}

function describe(spec: AnyCommand, width: number): string {
  const aliases = spec.aliases && spec.aliases.length > 0 ? ` (also: ${spec.aliases.join(', ')})` : '';
  return `${spec.usage.padEnd(width)}  ${spec.summary}${width === 0 ? aliases : ''}`;
}


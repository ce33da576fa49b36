import { isStatement, PythonWriter } from './code';
import { MACHINE } from './machine';
import { pyComment, pyDocstring, pyString, shellWord } from './quote';
import type { PythonExpressions } from './values';

/** What the translator wrote, put together as one program by `writeProgram`. */
export interface ProgramParts {
  source: string;
  /** The script's story: the comments before its first command. */
  header: string[];
  /** The phrases' `async def`s. */
  phrases: PythonWriter;
  /** Bodies nested too deep for Python, as functions of their own. */
  hoisted: readonly PythonWriter[];
  /** The lines of main(), unindented. */
  main: PythonWriter;
  /** main()'s names that phrases and hoisted bodies share with it. */
  globals: string[];
  mainOffloads: boolean;
  values: PythonExpressions;
  /** The helpers of the commands the script uses (their forms' preludes), in the order first used. */
  preludes: readonly string[];
}

/**
 * The program's frame: the docstring, the imports, the helpers the script
 * needs (chord, beep, and tempo, chance, tick, cues, live loops only if used),
 * the phrases, main(), and the music machine under it.
 */
export function writeProgram(p: ProgramParts): string {
const { header, phrases, main } = p;
  const file = p.source.replace(/^.*[\\/]/, '');
  const stem = file.replace(/\.[^.]*$/, '') || 'script';
  const out = new PythonWriter();
  out.line('#!/usr/bin/env python3');
  const program = pyDocstring(shellWord(`${stem}.py`));
  out.line(`"""${pyDocstring(file)}, as Python asyncio (written by corotone --to-python).`);
  out.line('');
  out.line(`Play it:      python3 ${program} | play -q -t raw -r 8000 -c 1 -b 8 -e unsigned --buffer 256 -`);
  out.line(`Its events:   python3 ${program} --events   (the JSON lines of corotone --events)`);
  out.line('Needs Python 3.11 or later and nothing else.');
  out.line('"""');
  if (header.length > 0) {
    out.line('');
    for (const line of header) out.line(line);
  }
  out.line('');
  out.line('import asyncio');
  if (p.values.usesBpm) out.line('import contextvars');
  out.line('import sys');
  out.line('import time');
  out.line('');
  out.line(`SOURCE = ${pyString(p.source)}`);
  out.line('');
  out.line('');
  out.line('async def chord(seconds, *keys, **sound):');
  out.block(() => {
    out.line('"""Sound the notes together for some seconds. Cancelled, it stops them at once (finally).');
    out.line('');
    out.line('sound: the note options drawn by chance (amp=, synth=), drawn to keep the chance in step; the tones are plain.');
    out.line('"""');
    out.line('voices = notes.hold(keys)  # notes of this chord, even where another holds the same key');
    out.line('try:');
    out.block(() => out.line('await asyncio.sleep(seconds)'));
    out.line('finally:');
    out.block(() => out.line('notes.let_go(voices)'));
  });
  out.line('');
  out.line('');
  out.line('async def beep(key, seconds=0.5, **sound):');
  out.block(() => out.line('await chord(seconds, key)'));
  musicHelpers(out, p.values);
  for (const prelude of p.preludes) out.lines.push('', '', ...prelude.split('\n'));
  if (phrases.size > 0) out.lines.push('', '');
  out.lines.push(...phrases.lines);
  for (const helper of p.hoisted) out.lines.push('', '', ...helper.lines);
  out.line('');
  out.line('');
  out.line('async def main():');
  const globals = p.globals;
  if (globals.length > 0) out.lines.push(`    global ${globals.join(', ')}`);
  if (p.mainOffloads) out.lines.push('    loop = asyncio.get_running_loop()');
  const body = main.lines.some(isStatement) ? main.lines : [...main.lines, 'pass'];
  for (const line of body) out.lines.push(line === '' ? '' : `    ${line}`);
  out.line('');
  out.line('');
  out.lines.push(...MACHINE.split('\n').slice(0, -1));
  out.line('');
  out.line('');
  out.line('if __name__ == "__main__":');
  out.block(() => out.line('run(main)'));
  return out.text();
}

/** What the script's musical commands need: tempo, chance, cues, live loops (only those it uses). */
function musicHelpers(out: PythonWriter, values: PythonExpressions): void {
  const gap = () => {
    out.line('');
    out.line('');
  };
  if (values.usesBpm) tempoHelpers(out, gap);
  if (values.usesChance) {
    gap();
    out.line('def choose(*options):');
    out.block(() => {
      out.line('"""One of the options, by corotone\'s seeded chance (seed N starts it again)."""');
      out.line('return options[math.floor(chance.next() * len(options))]');
    });
    gap();
    out.line('def rand(low, high):');
    out.block(() => out.line('return math.floor(low * 1e9 + chance.next() * (high * 1e9 - low * 1e9) + 0.5) / 1e9'));
  }
  if (values.ticks > 0) {
    gap();
    out.line('tick_counts = {}');
    gap();
    out.line('def tick(site, *options):');
    out.block(() => {
      out.line('"""The next of the options each time this tick runs."""');
      out.line('n = tick_counts.get(site, 0)');
      out.line('tick_counts[site] = n + 1');
      out.line('return options[n % len(options)]');
    });
  }
  if (values.cues.size > 0) {
    out.line('');
    out.line('');
    for (const [name, py] of values.cues) out.line(`${py} = asyncio.Event()  # cue ${pyComment(name)} / sync ${pyComment(name)}`);
  }
  if (values.usesLive) liveHelpers(out, gap, values.spawnOptions());
}

/**
 * bpm N: a task's tempo, in a contextvar. Its value is a cell that the task shares with
 * what it runs inside it (gather's parts, as corotone's), and a spawned task gets a copy
 * (own_tempo), so a bpm there changes that task alone.
 */
function tempoHelpers(out: PythonWriter, gap: () => void): void {
  gap();
  out.line('tempo = contextvars.ContextVar("tempo")  # this task\'s beats a minute (bpm N): durations are in beats');
  out.line('tempo.set({"bpm": 60})');
  gap();
  out.line('def use_bpm(n):');
  out.block(() => out.line('tempo.get()["bpm"] = n'));
  gap();
  out.line('def beats(count):');
  out.block(() => out.line('return count * 60 / tempo.get()["bpm"]'));
  gap();
  out.line('def own_tempo():');
  out.block(() => {
    out.line('"""The context of a task spawned now: it starts at this task\'s tempo, and a bpm in it is its own."""');
    out.line('context = contextvars.copy_context()');
    out.line('context.run(tempo.set, dict(tempo.get()))');
    out.line('return context');
  });
}

/** live NAME CMD: a task per name that plays the newest body it was handed, pass after pass. */
function liveHelpers(out: PythonWriter, gap: () => void, spawnOptions: string): void {
  gap();
  out.line('live_bodies = {}');
  out.line('live_tasks = {}');
  gap();
  out.line('async def live_loop(name, cue):');
  out.block(() => {
    out.line('"""A live loop: pass after pass, the newest body it was given, each pass starting with cue NAME."""');
    out.line('while True:');
    out.block(() => {
      out.line('cue.set()  # a sync NAME waiting now goes on (as Sonic Pi\'s live_loop cues its name)');
      out.line('cue.clear()');
      out.line('start = machine.waited()');
      out.line('await live_bodies[name]()');
      out.line('if machine.waited() == start:  # as corotone: a pass that took no time would hold the event loop forever');
      out.block(() => out.line('raise RuntimeError(f"live loop {name} never waits: one pass took no time")'));
    });
  });
  gap();
  out.line('async def live(name, body, cue):');
  out.block(() => {
    out.line('"""live NAME CMD: start the loop, or hand the running one its body for the next pass."""');
    out.line('live_bodies[name] = body');
    out.line('task = live_tasks.get(name)');
    out.line('if task is None or task.done() or task.cancelling():  # none, or one that ended or is being cancelled');
    out.block(() => {
      out.line(`live_tasks[name] = asyncio.create_task(live_loop(name, cue)${spawnOptions})`);
      out.line('await asyncio.sleep(0)  # it starts before the next line');
    });
  });
}

import { defineCommand, INVALID, runningTask } from '../language/command';
import { quote } from '../language/diagnostics';
import { musicOf, rational, reseed } from '../language/music';
import { parseDurationNs } from '../language/numbers';
import { changeSettings } from '../language/task-settings';
import { UNITS_PER_ONE } from '../time';
import { bpmPython, seedPython } from './tempo.python';

// Musical time: the tempo of a task (Sonic Pi's use_bpm, per thread), and the seed of a source's chance.

const MIN_BPM = 1;
const MAX_BPM = 1000;

export const bpm = defineCommand({
  name: 'bpm',
  python: bpmPython,
  usage: 'bpm N',
  example: 'bpm 120',
  summary: 'this task\'s tempo: N beats a minute (default 60) for the sleeps it starts from now on; a task it spawns starts with it',
  parse(r) {
    const word = r.word(`a tempo in beats per minute (${MIN_BPM}..${MAX_BPM})`);
    r.end();
    if (word === undefined) return INVALID;
    const parsed = parseDurationNs(word.text);
    if (!parsed.ok || parsed.ns < MIN_BPM * UNITS_PER_ONE || parsed.ns > MAX_BPM * UNITS_PER_ONE) {
      r.error(word, {
        message: `expected a tempo ${MIN_BPM}..${MAX_BPM} beats per minute, found ${quote(word.text)}`,
        found: word.text,
        expected: `a number ${MIN_BPM}..${MAX_BPM}`,
        hint: 'like "bpm 120": then a beat is 0.5 s',
      });
      return INVALID;
    }
    return { units: parsed.ns };
  },
  *run({ units }, ctx) {
    const bpm = rational(BigInt(units), BigInt(UNITS_PER_ONE));
    changeSettings(ctx, runningTask(ctx), { tempo: { bpm, p: Number(bpm.p), q: Number(bpm.q) } });
    // the task's tempo from now on, as a fact (a MIDI file's tempo map follows it)
    ctx.fact?.({ type: 'tempo', source: ctx.source, bpm: units / UNITS_PER_ONE, taskId: ctx.scheduler.current?.id ?? null });
  },
});

const MAX_SEED = 2 ** 32 - 1;

export const seed = defineCommand({
  name: 'seed',
  python: seedPython,
  usage: 'seed N',
  example: 'seed 7',
  summary: 'start this source\'s chance (choose, rand) again from seed N: the same seed plays the same notes',
  parse(r) {
    const word = r.word(`a seed, a whole number 0..${MAX_SEED}`);
    r.end();
    if (word === undefined) return INVALID;
    if (!/^\d+$/.test(word.text) || Number(word.text) > MAX_SEED) {
      r.error(word, {
        message: `expected a seed 0..${MAX_SEED}, found ${quote(word.text)}`,
        found: word.text,
        expected: `a whole number 0..${MAX_SEED}`,
        hint: 'like "seed 42"',
      });
      return INVALID;
    }
    return Number(word.text);
  },
  *run(n, ctx) {
    const music = musicOf(ctx, ctx.source);
    reseed(music, n, ctx.source);
    music.announced = true;
    ctx.fact?.({ type: 'seed', source: ctx.source, seed: n });
  },
});

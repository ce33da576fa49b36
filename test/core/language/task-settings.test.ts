/**
 * Tasks own their sound and tempo (issue 19): `synth` and `bpm`, like `amp`
 * and `env`, belong to the task that sets them; a spawned task (spawn, &, a
 * live loop) starts with its spawner's and owns them from then on; a script's
 * top level sets them for the lines after it. Heard through the `corotone`
 * command as a process: the note events it prints (onsets and timbres).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli';

interface Voice {
  id: number;
  note: number;
  timbre?: string;
  level: number;
  /** When it starts and ends, s. */
  from: number;
  to: number;
}

/** Every voice the script sounds, once each (by id), from `corotone --events`. */
async function voicesOf(script: string): Promise<Voice[]> {
  const { code, stdout, stderr } = await runCli(['--events'], script);
  expect(code, stderr).toBe(0);
  expect(stderr).not.toMatch(/error/);
  const byId = new Map<number, Voice>();
  for (const line of stdout.toString().trim().split('\n')) {
    const event = JSON.parse(line);
    if (event.type !== 'notes') continue;
    const now = new Set<number>();
    for (const v of event.voices as Voice[]) {
      now.add(v.id);
      if (!byId.has(v.id)) byId.set(v.id, { id: v.id, note: v.note, timbre: v.timbre, level: v.level, from: event.t, to: Infinity });
    }
    for (const v of byId.values()) if (v.to === Infinity && !now.has(v.id)) v.to = event.t;
  }
  return [...byId.values()];
}

const onsetsOf = (voices: Voice[], note: number) => voices.filter((v) => v.note === note).map((v) => v.from);
const spansOf = (voices: Voice[], note: number) => voices.filter((v) => v.note === note).map((v) => [v.from, v.to]);
const timbresOf = (voices: Voice[], note: number) => [...new Set(voices.filter((v) => v.note === note).map((v) => v.timbre ?? 'default'))];

describe('synth and bpm per task', () => {
  it('lets a bpm and a synth in one live loop change that loop alone', async () => {
    // Before, the melody's bpm 120 sped the kick up and its synth fm turned the kick into fm.
    const voices = await voicesOf(['live kick beep C2 0.25; wait 0.75', 'live melody bpm 120; synth fm; beep C5 1', 'wait 4', 'stop', ''].join('\n'));
    expect(onsetsOf(voices, 24)).toEqual([0, 1, 2, 3]);
    expect(timbresOf(voices, 24)).toEqual(['default']);
    expect(onsetsOf(voices, 60)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
    expect(timbresOf(voices, 60)).toEqual(['fm']);
  });

  it('gives a spawned task the settings that hold where it is spawned; a later change at the top level reaches only the lines after it', async () => {
    const script = ['bpm 120', 'synth square', 'amp 0.3', 'loop beep E4 1 &', 'bpm 30', 'synth triangle', 'beep G4 1', 'beep A4 1', 'stop', ''].join('\n');
    const voices = await voicesOf(script);
    // the loop keeps bpm 120, square and amp 0.3 that it was spawned with
    expect(onsetsOf(voices, 52)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
    expect(timbresOf(voices, 52)).toEqual(['square']);
    expect(new Set(voices.filter((v) => v.note === 52).map((v) => v.level))).toEqual(new Set([0.3]));
    // the script's next lines play at bpm 30 (a beat is 2 s), in triangle
    expect(onsetsOf(voices, 55)).toEqual([0]);
    expect(onsetsOf(voices, 57)).toEqual([2]);
    expect([...timbresOf(voices, 55), ...timbresOf(voices, 57)]).toEqual(['triangle', 'triangle']);
  });

  it('keeps a setting made inside a loop or a part of gather with the task that runs it', async () => {
    // `repeat` and gather's parts run inside the task: their bpm holds for its later lines, as a line's does
    const voices = await voicesOf(['gather bpm 120 | wait 0', 'beep C4 1', 'beep D4 1', 'spawn repeat 2 bpm 240; beep E4 1', 'beep F4 1', ''].join('\n'));
    expect(spansOf(voices, 48)).toEqual([[0, 0.5]]);
    expect(spansOf(voices, 50)).toEqual([[0.5, 1]]);
    // the spawned task's bpm 240 is its own: the top level's F4 stays at 120
    expect(spansOf(voices, 52)).toEqual([[1, 1.25], [1.25, 1.5]]);
    expect(spansOf(voices, 53)).toEqual([[1, 1.5]]);
  });
});

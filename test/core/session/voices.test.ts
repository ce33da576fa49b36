/**
 * Notes that belong to tasks, as a listener hears them: scripts run in a
 * session, the stream is rendered to a WAV file, and the audio is judged
 * (levels in dB, the dip at a re-articulation, onsets, spectra), or the
 * event stream is read (who holds which note).
 */
import { describe, expect, it } from 'vitest';
import { Session, type SessionConfig, type SessionEvent } from '../../../src/core/session';
import { noteFrequency, type StreamEvent } from '../../../src/core/stream';
import { changesFromStreamEvents, renderToWav } from '../../../src/core/synth';
import { bandFraction, channelOf, detectOnsets, goertzelAmplitude, parseWav, powerSpectrum } from '../../support/audio';

const RATE = 48000;
const db = (x: number): number => 20 * Math.log10(x);

interface Played {
  samples: Float32Array;
  events: SessionEvent[];
  session: Session;
  outputs: string[];
  diagnostics: string[];
  /** Amplitude of note `n` over [from, from + length) seconds. */
  amp(n: number, from: number, length?: number): number;
  /** RMS over [from, from + length) seconds. */
  rms(from: number, length: number): number;
  /** The quietest 1 ms RMS within [from, to] seconds. */
  quietest(from: number, to: number): number;
}

/**
 * Run scripts (name → lines) in one session to `endS` seconds and render what
 * the stream played. A script named `typed:NAME` is a source of typed lines
 * left open (a terminal), so its end does not end its notes.
 */
function play(scripts: Record<string, string[]>, endS: number, config: SessionConfig = {}): Played {
  const session = new Session(config);
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  for (const [name, lines] of Object.entries(scripts)) {
    if (name.startsWith('typed:')) {
      const source = session.openSource(name.slice(6));
      for (const line of lines) source.pushLine(line);
    } else session.loadScript(name, lines.join('\n'));
  }
  session.scheduler.runUntilIdle(endS);
  const stream = events.filter((e): e is StreamEvent => e.type === 'notes' || e.type === 'stream-end');
  const { changes } = changesFromStreamEvents(stream);
  const samples = parseWav(renderToWav(changes, endS * 1e9, { rate: RATE })).samples;
  const rms = (from: number, length: number): number => {
    const a = Math.round(from * RATE);
    const b = Math.round((from + length) * RATE);
    let sum = 0;
    for (let k = a; k < b; k++) sum += samples[k] * samples[k];
    return Math.sqrt(sum / (b - a));
  };
  return {
    samples,
    events,
    session,
    outputs: events.flatMap((e) => (e.type === 'output' ? [e.text] : [])),
    diagnostics: events.flatMap((e) => (e.type === 'diagnostic' ? [`${e.diagnostic.source}:${e.diagnostic.line}:${e.diagnostic.col} ${e.diagnostic.message}`] : [])),
    amp: (n, from, length = 0.05) => goertzelAmplitude(samples, RATE, Math.round(from * RATE), Math.round(length * RATE), noteFrequency(n)),
    rms,
    quietest: (from, to) => {
      let least = Infinity;
      for (let t = from; t <= to; t += 0.00025) least = Math.min(least, rms(t, 0.001));
      return least;
    },
  };
}

/** Levels of note n every 50 ms over [from, to), in dB. */
function levels(p: Played, n: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = from; t + 0.05 <= to + 1e-9; t += 0.05) out.push(db(p.amp(n, t)));
  return out;
}

const SILENT_DB = -60;

describe('voices: every note is a voice of the task that started it', () => {
  it('repeat 3 beep 64 0.2 is heard as three notes: the level dips 12 dB or more between them, and three onsets', () => {
    const p = play({ 's.txt': ['repeat 3 beep 64 0.2'] }, 0.8);
    const held = p.rms(0.05, 0.1);
    for (const t of [0.2, 0.4]) expect(db(p.quietest(t - 0.004, t + 0.004) / held)).toBeLessThanOrEqual(-12);
    // Where the sound changes: three starts, and the end at 0.6.
    expect(detectOnsets(p.samples, RATE).map((k) => Math.round((k / RATE) * 10) / 10)).toEqual([0, 0.2, 0.4, 0.6]);
  });

  it('loop beep 60 0.25 & is heard as separate notes, each one bar in the event stream', () => {
    const p = play({ 'typed:term': ['loop beep 60 0.25 &', 'wait 1', 'stop'] }, 1.5);
    const held = p.rms(0.05, 0.1);
    for (const t of [0.25, 0.5, 0.75]) expect(db(p.quietest(t - 0.004, t + 0.004) / held)).toBeLessThanOrEqual(-12);
    // Every quarter second a new voice of 60: the ids change while the notes stay [60].
    const voices = p.events.flatMap((e) => (e.type === 'notes' ? [e.voices!.map((v) => v.id)] : []));
    expect(new Set(voices.slice(0, 4).flat()).size).toBe(4);
    expect(db(p.rms(1.1, 0.3))).toBeLessThan(SILENT_DB);
  });

  it('a melody passing through beep C4 0.5 keeps the held C4 of another task', () => {
    const p = play({ 'typed:term': ['beep C4 4 &', 'beep E4 0.5', 'beep C4 0.5', 'beep G4 0.5', 'wait 2'] }, 4.5);
    const held = db(p.amp(48, 0.2));
    // From the melody's C4 (1 s: both voices, in phase) to the end of the held one at 4 s, C4 never falls below its level.
    for (const level of levels(p, 48, 1.5, 3.95)) expect(level).toBeGreaterThan(held - 1);
    expect(db(p.amp(48, 4.1))).toBeLessThan(SILENT_DB);
  });

  it('add G3 keeps its drone when a loop of beep G3 runs and is stopped', () => {
    const p = play({ 'typed:term': ['add G3', 'spawn loop beep G3 0.2; wait 0.3', 'wait 2', 'stop', 'wait 1'] }, 3.5);
    const drone = db(p.amp(43, 0.25)); // the drone alone (the loop rests from 0.2 to 0.5)
    for (const level of levels(p, 43, 0, 3.45)) expect(level).toBeGreaterThan(drone - 1);
    expect(p.outputs).toContain('stopped 1 task');
  });

  it('the events say who holds which note', () => {
    const p = play({ 'typed:term': ['beep C4 4 &', 'wait 1', 'beep C4 0.5'] }, 2);
    const created = p.events.filter((e) => e.type === 'task-created');
    const bg = created.find((e) => e.type === 'task-created' && e.name === 'beep C4 4')!;
    const line = created.find((e) => e.type === 'task-created' && e.name === 'beep C4 0.5')!;
    const at1 = p.events.find((e) => e.type === 'notes' && e.t === 1)!;
    expect(at1.type === 'notes' && at1.voices!.map((v) => [v.note, v.owner])).toEqual([
      [48, 'id' in bg ? bg.id : -1],
      [48, 'id' in line ? line.id : -1],
    ]);
  });
});

describe('cleanup: no way of ending a task leaves a note sounding', () => {
  it('stop ends the voice a spawned add holds, at the time of the stop', () => {
    const p = play({ 'typed:term': ['spawn add C4; wait 5; remove C4', 'wait 1.25', 'stop'] }, 3);
    expect(db(p.amp(48, 1.0))).toBeGreaterThan(-30);
    expect(db(p.amp(48, 1.26, 1.5))).toBeLessThan(SILENT_DB);
    expect(p.outputs).toContain('stopped 1 task');
  });

  it('cancel ends the notes the task holds; a failed task ends its notes when it fails', () => {
    const p = play({ 'typed:term': ['spawn add 64; wait 0.5; fail boom', 'spawn add 67; wait 9', 'wait 1', 'cancel t2', 'wait 1'] }, 2.5);
    expect(db(p.amp(64, 0.2))).toBeGreaterThan(-30);
    expect(db(p.amp(64, 0.55, 1.5))).toBeLessThan(SILENT_DB);
    expect(db(p.amp(67, 0.8))).toBeGreaterThan(-30);
    expect(db(p.amp(67, 1.05, 1))).toBeLessThan(SILENT_DB);
  });

  it('loop add 60 fails and leaves nothing sounding', () => {
    const p = play({ 'typed:term': ['loop add 60', 'wait 1'] }, 1);
    expect(p.diagnostics.join('\n')).toMatch(/term:1:1 loop never waits/);
    expect(db(p.rms(0, 1))).toBeLessThan(SILENT_DB);
  });

  it('a source that ends ends the notes its adds held; a spawned add that finishes hands its note to the source', () => {
    const p = play({ 's.txt': ['spawn add 60', 'add 64', 'wait 1'] }, 2);
    expect(db(p.amp(60, 0.5))).toBeGreaterThan(-30);
    expect(db(p.amp(64, 0.5))).toBeGreaterThan(-30);
    expect(db(p.rms(1.01, 0.9))).toBeLessThan(SILENT_DB);
  });

  it('adding a note the source already holds changes nothing (no louder), as in the demo', () => {
    const p = play({ 'typed:term': ['add 60', 'wait 0.5', 'add 60', 'wait 0.5', 'remove 60'] }, 1.5);
    expect(Math.abs(db(p.amp(60, 0.2)) - db(p.amp(60, 0.7)))).toBeLessThan(0.1);
    expect(db(p.amp(60, 1.1))).toBeLessThan(SILENT_DB);
  });

  it('remove N ends only the N that add started in its own source', () => {
    const p = play({ 'typed:a': ['add 60', 'beep 64 2 &', 'wait 0.5', 'remove 64', 'remove 60'], 'typed:b': ['add 60', 'wait 3'] }, 1.5);
    // a's remove 60 leaves b's 60: the level of 60 falls by half (6 dB), not to silence; the beep of 64 goes on.
    expect(db(p.amp(60, 0.2)) - db(p.amp(60, 0.8))).toBeCloseTo(6, 0);
    expect(db(p.amp(64, 0.8))).toBeGreaterThan(-30);
  });
});

describe('what ends what', () => {
  it('panic silences and cancels everything else; the source that ran it reads on and says what it did', () => {
    const p = play({ 's.txt': ['chord 5 60 &', 'wait 1', 'panic', 'beep 72 1'], 'other.txt': ['loop beep 48 0.25; wait 0.25'] }, 2.5);
    expect(db(p.amp(60, 0.5))).toBeGreaterThan(-30);
    expect(db(p.amp(60, 1.01, 1))).toBeLessThan(SILENT_DB);
    expect(db(p.amp(48, 1.01, 1))).toBeLessThan(SILENT_DB);
    expect(db(p.amp(72, 1.2))).toBeGreaterThan(-30);
    expect(p.outputs).toContain('panic: cancelled 2 tasks, silenced every note');
  });

  it('in the app, quit in a loaded script ends that script only; a terminal stays open', () => {
    const p = play(
      { 'song.txt': ['beep 60 2 &', 'wait 0.5', 'quit', 'beep 62 1'], 'typed:term': ['add 67', 'quit', 'wait 0.2', 'beep 69 0.5'] },
      2.5,
      { quitEnds: 'source' },
    );
    expect(p.session.ended).toBe(false);
    expect(db(p.amp(60, 0.2))).toBeGreaterThan(-30);
    expect(db(p.amp(60, 0.6, 1))).toBeLessThan(SILENT_DB); // the script's background beep ends with it
    expect(db(p.amp(62, 0.6, 1))).toBeLessThan(SILENT_DB); // its next line never runs
    expect(db(p.amp(69, 0.3))).toBeGreaterThan(-30); // the terminal reads on
    expect(p.events.filter((e) => e.type === 'source-ended').map((e) => e.type === 'source-ended' && [e.source, e.reason])).toEqual([['song.txt', 'quit']]);
    expect(p.outputs.some((o) => o.startsWith('quit: this source stays open'))).toBe(true);
  });

  it('in the CLI, quit ends the session, as the demo does', () => {
    const p = play({ 's.txt': ['add 60', 'wait 0.5', 'quit', 'beep 62 1'] }, 2);
    expect(p.session.ended).toBe(true);
    expect(db(p.rms(0.51, 1))).toBeLessThan(SILENT_DB);
  });
});

describe('levels, envelopes and timbres', () => {
  it('amp sets the level of the notes a task starts after it, and amp= the level of one note', () => {
    const p = play({ 's.txt': ['beep C5 0.5', 'beep C5 0.5 amp=0.3', 'amp 0.05', 'beep C5 0.5', 'beep C5 0.5 amp=0.2'] }, 2);
    const at = (t: number) => db(p.amp(60, t, 0.2));
    expect(at(0.1) - at(0.6)).toBeCloseTo(db(0.1 / 0.3), 0);
    expect(at(0.1) - at(1.1)).toBeCloseTo(db(0.1 / 0.05), 0);
    expect(at(0.1) - at(1.6)).toBeCloseTo(db(0.1 / 0.2), 0);
  });

  it('at the default level eight voices do not clip, and a held note changes by at most 1 dB when seven join', () => {
    const p = play({ 's.txt': ['add 48', 'wait 0.5', 'chord 0.5 52 55 60 64 67 72 76', 'wait 0.5'] }, 1.5);
    expect(Math.abs(db(p.amp(48, 0.2, 0.2)) - db(p.amp(48, 0.7, 0.2)))).toBeLessThanOrEqual(1);
    expect(Math.max(...p.samples.map(Math.abs))).toBeLessThanOrEqual(1);
  });

  it('env shapes the notes a task starts: a slow attack starts quiet, a sustain holds a fraction of the level', () => {
    const p = play({ 's.txt': ['env 0.2 0.1 0.5 0.003', 'beep C5 1', 'beep C5 1 env=0.003,0,1,0.003'] }, 2.2);
    const at = (t: number) => db(p.amp(60, t, 0.02));
    expect(at(0.01)).toBeLessThan(at(0.19) - 12); // rising over the attack
    expect(at(0.6) - at(1.5)).toBeCloseTo(db(0.5), 0); // sustain 0.5 against the plain note
  });

  it('synth sets the timbre of the source: a square has odd harmonics, a sine none', () => {
    const p = play({ 's.txt': ['beep A4 0.5', 'synth square', 'beep A4 0.5', 'beep A4 0.5 synth=sine'] }, 1.6);
    const third = (t: number) => goertzelAmplitude(p.samples, RATE, Math.round(t * RATE), 4800, noteFrequency(57) * 3);
    const fundamental = (t: number) => p.amp(57, t, 0.1);
    expect(db(third(0.1) / fundamental(0.1))).toBeLessThan(-40);
    expect(db(third(0.6) / fundamental(0.6))).toBeCloseTo(db(1 / 3), 0);
    expect(db(third(1.1) / fundamental(1.1))).toBeLessThan(-40);
  });

  it('synth noise is white noise at the note\'s level, whatever the note: flat to 24 kHz, RMS level/sqrt(3)', () => {
    const p = play({ 's.txt': ['synth noise', 'beep A4 0.5 amp=0.3', 'beep C2 0.5 amp=0.3'] }, 1.1);
    for (const from of [0.05, 0.55]) {
      const s = powerSpectrum(p.samples, RATE, Math.round(from * RATE), Math.round(0.4 * RATE));
      expect(bandFraction(s, 5000, 24000)).toBeGreaterThan(0.7);
      expect(Math.abs(db(p.rms(from, 0.4)) - db(0.3 / Math.sqrt(3)))).toBeLessThan(0.3);
    }
  });

  it('reports bad levels, envelopes, timbres and note options where they are written, and plays the rest', () => {
    const p = play({ 's.txt': ['amp 2', 'env 1 2', 'synth organ', 'beep 60 0.5 amp=x', 'chord 1 60 loud=1', 'env 0.1 0 1.5 0.1', 'beep 62 0.5'] }, 1);
    expect(p.diagnostics).toEqual([
      's.txt:1:5 expected a level 0..1, found "2"',
      's.txt:2:8 missing argument: expected a sustain level 0..1, found end of line',
      's.txt:3:7 unknown timbre "organ": expected one of sine, triangle, square, sawtooth, fm, am, noise',
      's.txt:4:13 expected a level 0..1, found "x"',
      's.txt:5:12 unknown note option "loud": expected amp=, env=, synth=, pan=, fx=, invert= or num=',
      's.txt:6:11 expected a sustain level 0..1, found "1.5"',
    ]);
    expect(db(p.amp(62, 0.2))).toBeGreaterThan(-30);
  });
});

describe('pan', () => {
  /** The stereo render (as --wav writes it) of a script, split into its channels. */
  function stereo(lines: string[], endS: number) {
    const session = new Session();
    const events: SessionEvent[] = [];
    session.subscribe((e) => events.push(e));
    session.loadScript('s.txt', lines.join('\n'));
    session.scheduler.runUntilIdle(endS);
    const stream = events.filter((e): e is StreamEvent => e.type === 'notes' || e.type === 'stream-end');
    const wav = parseWav(renderToWav(changesFromStreamEvents(stream).changes, endS * 1e9, { rate: RATE, channels: 2 }));
    const side = (c: number) => (n: number, from: number) => goertzelAmplitude(channelOf(wav, c), RATE, Math.round(from * RATE), 4800, noteFrequency(n));
    return { events, left: side(0), right: side(1) };
  }

  it('pan P places the task\'s later notes, pan= one note; both channels together keep the note\'s power', () => {
    const p = stereo(['beep A4 0.5 amp=0.2', 'pan -1', 'beep A4 0.5 amp=0.2', 'beep A4 0.5 amp=0.2 pan=0.5', 'pan 0', 'beep A4 0.5 amp=0.2'], 2);
    const at = (t: number) => ({ l: p.left(57, t), r: p.right(57, t) });
    const [centre, left, halfRight, back] = [at(0.2), at(0.7), at(1.2), at(1.7)];
    expect(db(centre.l / centre.r)).toBeCloseTo(0, 1);
    expect(db(left.r)).toBeLessThan(-80);
    expect(db(halfRight.r / halfRight.l)).toBeCloseTo(db(1 / Math.tan(Math.PI / 8)), 1);
    expect(db(back.l / back.r)).toBeCloseTo(0, 1);
    for (const s of [centre, left, halfRight, back]) expect(10 * Math.log10((s.l ** 2 + s.r ** 2) / (2 * 0.2 ** 2))).toBeCloseTo(0, 1);
    // the voices say where they are
    const pans = p.events.flatMap((e) => (e.type === 'notes' ? e.voices!.map((v) => v.pan ?? 0) : []));
    expect(pans).toEqual([0, -1, 0.5, 0]);
  });

  it('reports a pan out of -1..1 where it is written', () => {
    const session = new Session();
    const errors: string[] = [];
    session.subscribe((e) => e.type === 'diagnostic' && errors.push(`${e.diagnostic.line}:${e.diagnostic.col} ${e.diagnostic.message}`));
    session.loadScript('s.txt', 'pan 2\nbeep 60 0.5 pan=left');
    session.scheduler.runUntilIdle();
    expect(errors).toEqual(['1:5 expected a pan -1..1 (left .. right), found "2"', '2:13 expected a pan -1..1 (left .. right), found "left"']);
  });
});

describe('names per source', () => {
  it('t1 counts per source: cancel t1 in a script cancels its own t1; SOURCE/t1 names another source\'s', () => {
    const p = play(
      {
        'a.txt': ['loop beep 60 0.25; wait 0.25 &', 'wait 1', 'cancel t1', 'wait 1'],
        'b.txt': ['loop beep 72 0.25; wait 0.25 &', 'wait 0.5', 'tasks', 'wait 1', 'cancel a.txt/t1', 'cancel t1'],
      },
      2.5,
    );
    expect(p.outputs.filter((o) => o.startsWith('['))).toEqual(['[t1] loop beep 60 0.25; wait 0.25', '[t1] loop beep 72 0.25; wait 0.25']);
    const table = p.outputs.find((o) => o.startsWith('name'))!;
    expect(table).toMatch(/^a\.txt\/t1 .* a\.txt .*loop beep 60/m);
    expect(table).toMatch(/^t1 .* b\.txt .*loop beep 72/m);
    expect(p.diagnostics).toEqual(['b.txt:5:8 no running task "a.txt/t1": expected the name (t1, t2 ... of this source, or SOURCE/t1) or id of a running task, or the name of a live loop']);
    expect(db(p.amp(60, 0.55, 0.1))).toBeGreaterThan(-30);
    expect(db(p.amp(60, 1.05, 1))).toBeLessThan(SILENT_DB);
    expect(db(p.amp(72, 1.05, 0.1))).toBeGreaterThan(-30);
    expect(db(p.amp(72, 1.55, 0.9))).toBeLessThan(SILENT_DB);
  });

  it('cancel SOURCE/t1 cancels another source\'s task', () => {
    const p = play({ 'a.txt': ['loop beep 60 0.25; wait 0.25 &', 'wait 3'], 'typed:term': ['wait 1', 'cancel a.txt/t1'] }, 2);
    expect(p.outputs.filter((o) => o.startsWith('cancelled'))).toMatchObject([expect.stringMatching(/^cancelled a\.txt\/t1 \(task \d+\): loop beep 60 0.25; wait 0.25$/)]);
    expect(db(p.amp(60, 1.05, 0.9))).toBeLessThan(SILENT_DB);
  });
});

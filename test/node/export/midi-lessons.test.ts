/**
 * Every lesson and the demo's commands.txt written as a MIDI file the ways a
 * user writes one: `corotone LESSON --midi FILE` as a process (with --events,
 * which says what played), and the app's Export "MIDI file" (the export-audio
 * request with format 'midi', in the export worker). Read back with a MIDI
 * parser, the file has every note --events has, on its tick.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../src/core/session/session';
import { AppSession, type OutgoingFile } from '../../../src/node/app-session/app-session';
import { renderMidiInWorker } from '../../../src/node/export/worker-export';
import { mismatches, readMidi, voicesOf, type EventLine } from '../../support/midi/read-back';
import { lessonPaths } from '../../support/examples/support';
import { BIN, ROOT } from '../../support/run-cli';

/** Wall-clock ms a run may take before it counts as hung (each takes about a second, far less under no load). */
const DEADLINE_MS = 40_000;

const LESSONS = lessonPaths();

interface CliRun {
  code: number | null;
  stderr: string;
  events: EventLine[];
  midi: Uint8Array | null;
}

/** `corotone LESSON --midi DIR/LESSON.mid --events` in the lesson's folder (its source has the name the Export gives it). */
function midiWithCli(lesson: string, dir: string): Promise<CliRun> {
  const midiPath = join(dir, basename(lesson).replace(/\.txt$/, '.mid'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, basename(lesson), '--midi', midiPath, '--events'], { cwd: join(ROOT, dirname(lesson)), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const deadline = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(deadline);
      const text = Buffer.concat(out).toString('utf8').trim();
      const events = text === '' ? [] : text.split('\n').map((l) => JSON.parse(l) as EventLine);
      resolve({ code, stderr: Buffer.concat(err).toString('utf8'), events, midi: code === 0 ? new Uint8Array(readFileSync(midiPath)) : null });
    });
  });
}

describe('every lesson as a MIDI file', () => {
  let dir: string;
  const cli = new Map<string, CliRun>();
  let app: AppSession;
  const saved: OutgoingFile[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'corotone-midi-'));
    app = new AppSession({
    // the lessons' folder, as the app has it: their samples are read from the app's resources/
    examplesDir: join(ROOT, 'resources', 'examples'),
      createEngine: () => {
        const session = new Session();
        const s = session.scheduler;
        return { session, clock: { start() {}, stop() {}, get wall() { return s.now; }, speed: 1, logicalNowNs: () => s.nowNanos } };
      },
      renderMidi: (script, signal) => renderMidiInWorker(script, { signal, timeoutMs: DEADLINE_MS }),
      deliverFile: (file) => {
        saved.push(file);
        return Promise.resolve({ kind: 'saved', path: `/exports/${file.fileName}` });
      },
    });
  });
  afterAll(() => app.dispose());

  it.each(LESSONS)('%s, by corotone --midi: every note --events has, on its tick, N + 12, and the tempo map', async (lesson) => {
    const run = await midiWithCli(lesson, dir);
    // Lessons that teach errors print them; nothing is said of the file.
    expect(run.stderr.split('\n').filter((l) => l.startsWith('corotone:'))).toEqual([]);
    expect(run.code).toBe(0);
    cli.set(lesson, run);
    const file = readMidi(run.midi!);
    expect(voicesOf(run.events).length).toBeGreaterThan(0);
    expect(mismatches(file, run.events)).toEqual([]);
    expect(file.notes.length).toBeGreaterThan(0);
    // One channel per track of notes, none of them the drums'; drum hits (where a lesson plays them) on channel 10, on tracks of their own.
    const used = file.tracks.filter((t) => file.notes.some((n) => n.track === t.name));
    const pitched = used.filter((t) => t.channel !== 9).map((t) => t.channel);
    expect(new Set(pitched).size).toBe(pitched.length);
    const drums = used.filter((t) => t.channel === 9);
    expect(drums.length > 0).toBe(voicesOf(run.events).some((v) => v.drum !== undefined));
    for (const t of drums) expect(t.name).toMatch(/drums$/);
  });

  it.each(LESSONS)('%s, by the app’s Export "MIDI file": the same file as the command’s', async (lesson) => {
    const text = readFileSync(join(ROOT, lesson), 'utf8');
    const before = saved.length;
    const reply = await app.handle({ id: 1, type: 'export-audio', name: basename(lesson), text, format: 'midi' }, null);
    expect(reply.ok ? reply.value : reply.error.message).toMatchObject({ kind: 'saved', path: `/exports/${basename(lesson).replace(/\.txt$/, '.mid')}` });
    expect(saved[before].mime).toBe('audio/midi');
    const fromCli = cli.get(lesson);
    if (fromCli?.midi) expect(Buffer.from(saved[before].bytes).equals(Buffer.from(fromCli.midi))).toBe(true);
    else expect(readMidi(saved[before].bytes).notes.length).toBeGreaterThan(0);
  });

  it('names the tracks after who plays: the live loops melody and bass have a track each, on channels of their own', () => {
    const run = cli.get('resources/examples/live-loop.txt');
    expect(run?.midi, 'the live-loop lesson ran above').toBeTruthy();
    const file = readMidi(run!.midi!);
    const playing = [...new Set(file.notes.map((n) => n.track))];
    expect(playing.sort()).toEqual(['bass', 'melody']);
    // bass plays choose(C3,G3,A3): corotone's 36, 43, 45 are MIDI's 48, 55, 57
    expect([...new Set(file.notes.filter((n) => n.track === 'bass').map((n) => n.midi))].every((m) => [48, 55, 57].includes(m))).toBe(true);
    // at bpm 120 a beat of 960 ticks is half a second: melody's arp notes are half a beat, 480 ticks (the last may be cut by stop)
    const lengths = file.notes.filter((n) => n.track === 'melody').map((n) => n.endTicks - n.ticks);
    expect(lengths.length).toBeGreaterThan(8);
    expect(lengths.slice(0, -1).every((l) => l === 480)).toBe(true);
  });
});

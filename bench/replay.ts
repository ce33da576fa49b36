/**
 * Replay section (issue 20): the time to rebuild a moment 10 minutes into a
 * busy session, as the app's Replay from here does it: a fresh session on the
 * virtual clock fed the recorded inputs at their logical times
 * (src/core/debug/replay.ts), then the check against the original's history
 * (replay-check.ts). The original is played once here on the virtual clock,
 * its inputs recorded as the host records them (record-inputs.ts): four live
 * loops typed at the start, a line typed every 4 s (notes with chance, a tempo
 * change, a seed, a loop's new body, a spawned note and its cancel), and a
 * lesson loaded at 5 minutes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { recordInputs } from '../src/core/debug/record-inputs';
import { rebuildAt } from '../src/core/debug/replay';
import { compareMoment } from '../src/core/debug/replay-check';
import { InputLog } from '../src/core/debug/replay-inputs';
import type { SessionEvent } from '../src/core/session/api';
import { Session } from '../src/core/session/session';
import { secondsToNs } from '../src/core/time';
import { fixed, median, table } from './lib/stats';
import type { BenchContext, BenchModule, BenchSection } from './lib/types';

const MINUTES = 10;

const LOOPS = [
  'live drums drum bd; wait 0.5; drum sn; wait 0.5',
  'live bass beep choose(C3,E3,G3,A3) 0.5',
  'live arp beep tick(C5,E5,G5,B5) 0.25',
  'live pad chord 2 C4 E4 G4',
];

/** The line typed at the `i`th 4-second mark ('cancel': the spawned note is cancelled from outside). */
function typed(i: number): string {
  const lines = [
    'beep choose(60,64,67,72) 0.5',
    `bpm ${100 + (i % 5) * 10}`,
    'beep 79 3 &',
    'cancel',
    `seed ${i}`,
    'live arp beep tick(A4,C5,E5) 0.25',
    'repeat 4 beep rand(60,72) 0.125',
    'live arp beep tick(C5,E5,G5,B5) 0.25',
  ];
  return lines[i % lines.length];
}

/** Play the busy session on the virtual clock, recording its inputs; its events and its inputs. */
function original(root: string): { events: SessionEvent[]; log: InputLog } {
  const session = new Session({ quitEnds: 'source' });
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  const log = new InputLog();
  const engine = recordInputs(session, log).session;
  const s = session.scheduler;
  const at = (t: number) => {
    s.runDue(secondsToNs(t));
    s.advanceTo(secondsToNs(t));
  };
  const terminal = engine.openSource('terminal');
  LOOPS.forEach((line, i) => {
    at(0.1 + i * 0.37);
    terminal.pushLine(line);
  });
  const lesson = readFileSync(path.join(root, 'resources/examples/live-loop.txt'), 'utf8');
  for (let i = 1, t = 4.013; t < MINUTES * 60; i++, t += 4.013) {
    at(t);
    const line = typed(i);
    if (i === 75) engine.loadScript('live-loop.txt', lesson);
    else if (line === 'cancel') {
      // As the timeline's Cancel task does: the spawned note, by its id.
      const spawned = events.findLast((e) => e.type === 'task-created' && e.name === 'beep 79 3');
      if (spawned !== undefined && 'id' in spawned) engine.cancelTask(spawned.id);
    } else terminal.pushLine(line);
  }
  at(MINUTES * 60);
  return { events, log };
}

interface Measured {
  rebuildMs: number;
  checkMs: number;
}

function measure(log: InputLog, events: SessionEvent[], atNs: number): Measured & { differences: string[]; rebuiltEvents: number } {
  const start = process.hrtime.bigint();
  const rebuilt = rebuildAt(log.inputs, atNs, { quitEnds: 'source' });
  const rebuildMs = Number(process.hrtime.bigint() - start) / 1e6;
  const checked = process.hrtime.bigint();
  const differences = compareMoment(events, rebuilt.events, rebuilt.session.snapshot(), atNs);
  const checkMs = Number(process.hrtime.bigint() - checked) / 1e6;
  return { rebuildMs, checkMs, differences, rebuiltEvents: rebuilt.events.length };
}

async function run(ctx: BenchContext): Promise<BenchSection | null> {
  ctx.log(`replay: playing the ${MINUTES}-minute session once`);
  const { events, log } = original(ctx.root);
  const atNs = secondsToNs(MINUTES * 60);
  const repeats = ctx.quick ? 1 : 5;
  const first = measure(log, events, atNs);
  if (first.differences.length > 0) {
    ctx.log(`replay: the rebuild differs: ${first.differences.join('; ')}`);
    return null;
  }
  ctx.log(`replay: rebuilding ${repeats} times`);
  const all = Array.from({ length: repeats }, () => measure(log, events, atNs));
  const rebuildMs = median(all.map((m) => m.rebuildMs));
  const checkMs = median(all.map((m) => m.checkMs));
  const rows = [[`t = ${MINUTES * 60} s`, log.length.toLocaleString('en-US'), first.rebuiltEvents.toLocaleString('en-US'), `${fixed(rebuildMs, 0)} ms`, `${fixed(checkMs, 0)} ms`]];
  const markdown = [
    `Replay from here (src/core/debug/replay.ts) rebuilding the moment ${MINUTES} minutes into a busy session: four live loops (drums, a bass with chance, an arpeggio, chords) ` +
      'typed at the start, a line typed every 4 s (notes with chance, tempo changes, seeds, a loop given a new body, a spawned note and its cancel) and a lesson loaded at 5 minutes. ' +
      `The original is played once on the virtual clock with its inputs recorded as the host records them; then the rebuild (a fresh session fed the inputs) is timed, ` +
      `once to warm up and check it equals the original, then ${repeats} times (the median), and the check against the original's history beside it.`,
    '',
    table(['moment', 'inputs', 'events rebuilt', 'rebuild', 'check'], rows),
  ].join('\n');
  return { markdown, rows: [{ name: `replay: rebuild a moment ${MINUTES} min into a busy session (${first.rebuiltEvents.toLocaleString('en-US')} events)`, value: rebuildMs, unit: 'ms' }] };
}

const replayBench: BenchModule = { title: 'Replay from here: rebuilding a moment', run };
export default replayBench;

/**
 * `corotone SCRIPT --osc 127.0.0.1:PORT` as a process, heard by a UDP
 * listener on 127.0.0.1: every note arrives as /corotone/note/on and off in a
 * bundle whose time tag is its logical time (exact to a microsecond, the
 * latency after the clock's start), sent at least the latency early (less only
 * by how late the run itself says it ran: --lag-threshold 0 reports every
 * late resumption); garbage sent back to the socket and a port nobody listens
 * on leave the music alone.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBuffer, type OscBundleOutput, type OscMessageOutput } from 'osc-min';
import { afterEach, describe, expect, it } from 'vitest';
import { unixNsOfTimeTag } from '../../../src/node/osc/time-tag';
import { runCli } from '../../support/run-cli';
import { voicesOf, type EventLine } from '../../support/midi/read-back';

const LATENCY_MS = 200;
/**
 * Loopback delivery, two processes' reading of the system clock, and the time
 * from the instant's last resumption (whose lateness the run reports) to its
 * bundle leaving: 1-3 ms on a loaded machine, once 9 ms for the first bundle.
 */
const CLOCK_SLACK_NS = 15_000_000n;

interface Arrival {
  bundle: OscBundleOutput;
  tagNs: bigint;
  arrivedNs: bigint;
  from: RemoteInfo;
}

const unixNowNs = (): bigint => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

let listener: Socket | null = null;
afterEach(() => {
  listener?.close();
  listener = null;
});

async function listen(onBundle?: (a: Arrival, socket: Socket) => void): Promise<{ port: number; arrivals: Arrival[] }> {
  const socket = createSocket('udp4');
  listener = socket;
  const arrivals: Arrival[] = [];
  socket.on('message', (data, from) => {
    const arrivedNs = unixNowNs();
    const bundle = fromBuffer(data) as OscBundleOutput;
    const arrival = { bundle, tagNs: unixNsOfTimeTag(bundle.timetag), arrivedNs, from };
    arrivals.push(arrival);
    onBundle?.(arrival, socket);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, arrivals };
}

/** A folder with the script s.txt (run in it, the source is named s.txt). */
function folderWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'corotone-osc-'));
  writeFileSync(join(dir, 's.txt'), text);
  return dir;
}

function script(text: string): string {
  return join(folderWith(text), 's.txt');
}

const SONG = 'beep 60 0.25\nwait 0.125\nbeep 64 0.333333333\ncue go\nspawn beep 67 0.1\nchord 0.2 69 72 amp=0.5\nbpm 97\nbeep 71 250ms';

function eventsOf(stdout: Buffer): EventLine[] {
  return stdout.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as EventLine & { late?: number });
}

function messages(arrivals: Arrival[], address: string): { message: OscMessageOutput; arrival: Arrival }[] {
  return arrivals.flatMap((arrival) =>
    (arrival.bundle.elements as OscMessageOutput[]).filter((m) => m.address === address).map((message) => ({ message, arrival })),
  );
}

const arg = (m: OscMessageOutput, i: number): unknown => (m.args[i] as { value: unknown }).value;

describe('corotone --osc', () => {
  it('sends every note as a bundle stamped with its logical time, at least the latency early', async () => {
    const { port, arrivals } = await listen();
    const run = await runCli(['s.txt', '--osc', `127.0.0.1:${port}`, '--latency', String(LATENCY_MS), '--events', '--lag-threshold', '0'], undefined, folderWith(SONG));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const events = eventsOf(run.stdout);
    const voices = voicesOf(events);
    expect(voices.length).toBe(6);

    const ons = messages(arrivals, '/corotone/note/on');
    const offs = messages(arrivals, '/corotone/note/off');
    expect(ons.map(({ message }) => arg(message, 5)).sort()).toEqual(voices.map((v) => v.id).sort());
    expect(offs.map(({ message }) => arg(message, 3)).sort()).toEqual(voices.map((v) => v.id).sort());
    for (const { message } of ons) {
      const voice = voices.find((v) => v.id === arg(message, 5))!;
      expect(arg(message, 0)).toBe(voice.note);
      expect(arg(message, 1) as number).toBeCloseTo(16.35 * 2 ** (voice.note / 12), 2);
      expect(arg(message, 4)).toBe('s.txt');
    }
    // who plays: the spawned task t1, the source for the rest; the chord's level
    expect(ons.filter(({ message }) => arg(message, 0) === 67).map(({ message }) => arg(message, 3))).toEqual(['t1']);
    expect(ons.filter(({ message }) => arg(message, 0) === 69).map(({ message }) => [arg(message, 2), arg(message, 3)])).toEqual([[0.5, 's.txt']]);
    expect(messages(arrivals, '/corotone/cue').map(({ message }) => message.args.map((a) => (a as { value: unknown }).value))).toEqual([['go', 's.txt']]);

    // Time tags: the logical time of each start and end, all on one clock, exact to a microsecond.
    const first = ons.find(({ message }) => arg(message, 5) === voices[0].id)!.arrival.tagNs - BigInt(voices[0].startNs);
    for (const v of voices) {
      const on = ons.find(({ message }) => arg(message, 5) === v.id)!.arrival;
      const off = offs.find(({ message }) => arg(message, 3) === v.id)!.arrival;
      expect(Number(on.tagNs - BigInt(v.startNs) - first)).toBeLessThan(1000);
      expect(Number(off.tagNs - BigInt(v.endNs) - first)).toBeGreaterThan(-1000);
      expect(Number(off.tagNs - BigInt(v.endNs) - first)).toBeLessThan(1000);
    }

    // Sent the latency ahead of the tag, less only what the run says it ran late then.
    const lags = events.filter((e) => e.type === 'loop-lag') as (EventLine & { late: number })[];
    for (const a of arrivals) {
      const logicalNs = a.tagNs - first;
      const late = Math.max(0, ...lags.filter((l) => Math.abs(Math.round(l.t * 1e9) - Number(logicalNs)) < 1000).map((l) => l.late));
      const early = a.tagNs - a.arrivedNs;
      expect(early, `bundle at ${Number(logicalNs) / 1e9} s (the run lagged ${late * 1000} ms)`).toBeGreaterThanOrEqual(BigInt(LATENCY_MS) * 1_000_000n - BigInt(Math.round(late * 1e9)) - CLOCK_SLACK_NS);
    }
  });

  it('plays on when garbage comes back to its socket: every note still arrives', async () => {
    let answered = 0;
    const { port, arrivals } = await listen((a, socket) => {
      answered++;
      for (const junk of [Buffer.from('garbage\0\0'), Buffer.alloc(3000, 0xff), Buffer.from('#bundle\0')]) socket.send(junk, a.from.port, a.from.address);
    });
    const run = await runCli([script('beep 60 0.1\nbeep 62 0.1\nbeep 64 0.1\nbeep 65 0.1'), '--osc', `127.0.0.1:${port}`, '--events']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(answered).toBeGreaterThan(0);
    expect(messages(arrivals, '/corotone/note/on').map(({ message }) => arg(message, 0))).toEqual([60, 62, 64, 65]);
  });

  it('plays on to its end when nobody listens on the port', async () => {
    const closed = createSocket('udp4');
    await new Promise<void>((resolve) => closed.bind(0, '127.0.0.1', resolve));
    const port = closed.address().port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await runCli([script('beep 60 0.1\nbeep 62 0.1\nbeep 64 0.1'), '--osc', `127.0.0.1:${port}`, '--events']);
    expect(run.code).toBe(0);
    expect(voicesOf(eventsOf(run.stdout)).map((v) => v.note)).toEqual([60, 62, 64]);
    // at most one line says the bundles did not go
    expect(run.stderr.split('\n').filter((l) => l !== '').length).toBeLessThanOrEqual(1);
  });

  it('refuses an address that is not HOST:PORT, and an offline render', async () => {
    const bad = await runCli([script('beep 60 0.1'), '--osc', 'localhost']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--osc takes HOST:PORT, like 127.0.0.1:57120');
    const offline = await runCli([script('beep 60 0.1'), '--osc', '127.0.0.1:57120', '--wav', join(tmpdir(), 'x.wav')]);
    expect(offline.code).toBe(2);
    expect(offline.stderr).toContain('--osc plays live');
  });
});

/**
 * `--osc HOST:PORT`: each voice's start and end, and each cue, sent over UDP
 * as OSC bundles (bundles.ts) the moment the session plays them, stamped with
 * their logical time on the real clock plus the latency. A receiver that
 * schedules by time tag (scsynth, sclang) plays them on time, as
 * SuperCollider's own clients send a latency ahead.
 *
 * Only the address given is sent to. The socket answers nothing and reads
 * nothing: what arrives on it is dropped, and a send that fails (nobody
 * listens, the network is down) is counted and said once, never stopping the music.
 */
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { lookup } from 'node:dns/promises';
import { toBuffer, type OscMessageInput } from 'osc-min';
import { Players } from '../../core/midi/players';
import type { SessionEvent } from '../../core/session/api';
import { VoiceChanges } from '../../core/stream/voice-changes';
import { msToNs, secondsToNs } from '../../core/time';
import { cue, noteOff, noteOn } from './bundles';
import { timeTagOfUnixNs } from './time-tag';

/** Where --osc sends: a host name or address, and a UDP port. */
export interface OscTarget {
  host: string;
  port: number;
}

/** `HOST:PORT` (an IPv6 address in brackets: `[::1]:57120`) as a target, or null if it is not one. */
export function readOscTarget(text: string): OscTarget | null {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text);
  const port = match === null ? NaN : Number(match[3]);
  return match === null || !(port >= 1 && port <= 65535) ? null : { host: match[1] ?? match[2], port };
}

/** Whether an address (as found) is this machine's: 127.0.0.0/8, ::1, or IPv4 mapped into IPv6. */
export function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || /^::ffff:127\./i.test(address);
}

/** The real clock the session plays on (a RealTimeDriver is one): its wall ns, and the wall ns of a logical time. */
export interface OscClock {
  wallNs(): number;
  wallAtNs(logicalNs: number): number;
}

export interface OscOutOptions {
  /** Send only to this machine (web mode, unless started with --osc-any-host): another address is refused at open. */
  loopbackOnly?: boolean;
  /** How far ahead of its time tag a bundle is sent. */
  latencyMs: number;
  /** Told once if sending fails (a sentence without a prefix). */
  warn: (line: string) => void;
  /** Unix time now, ns (a test may pass its own). */
  unixNowNs?: () => bigint;
}

/** The host name --osc gave could not be found. */
export class OscHostError extends Error {
  override name = 'OscHostError';
}

const systemUnixNowNs = (): bigint => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

export class OscOut {
  private readonly players = new Players();
  private readonly changes = new VoiceChanges();
  private clock: OscClock | null = null;
  /** Unix ns of the clock's wall 0. */
  private epochNs = 0n;
  private readonly latencyNs: bigint;
  private readonly unixNowNs: () => bigint;
  private pending = 0;
  private drained: (() => void) | null = null;
  private closed = false;
  /** Bundles handed to the socket, and those that failed to go. */
  sent = 0;
  failed = 0;

  private constructor(
    private readonly socket: Socket,
    private readonly address: string,
    private readonly target: OscTarget,
    private readonly options: OscOutOptions,
  ) {
    this.latencyNs = BigInt(msToNs(options.latencyMs));
    this.unixNowNs = options.unixNowNs ?? systemUnixNowNs;
    // Whatever comes back (a receiver's reply, garbage) is not read: without a listener it would be too, but say so.
    socket.on('message', () => {});
    socket.on('error', (error) => this.onFailure(error));
  }

  /** Find the host (once: every bundle goes to the address it had) and open a socket for it. Throws OscHostError. */
  static async open(target: OscTarget, options: OscOutOptions): Promise<OscOut> {
    let found: { address: string; family: number };
    try {
      found = await lookup(target.host);
    } catch (error) {
      throw new OscHostError(`cannot find the host "${target.host}" (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    if (options.loopbackOnly === true && !isLoopback(found.address)) {
      throw new OscHostError(`OSC goes to this machine only (127.0.0.1, ::1): ${target.host} is ${found.address}; start web mode with --osc-any-host to send elsewhere`);
    }
    const socket = createSocket(found.family === 6 ? 'udp6' : 'udp4');
    const out = new OscOut(socket, found.address, target, options);
    // Bound now, and the encoder run once, so that the first note's bundle does not pay for either.
    await new Promise<void>((resolve) => {
      socket.once('listening', resolve);
      socket.once('error', () => resolve()); // said by the socket's error listener; sends will fail and be counted
      socket.bind(0);
    });
    toBuffer({ timetag: [0, 1], elements: [noteOff({ id: 0, owner: null, note: 0, level: 0, onset: 0 }, { kind: 'source', source: '', name: '' })] });
    return out;
  }

  /** The clock logical time is played on: call it as the clock starts (again with the clock of a new session). Nothing is sent before. */
  start(clock: OscClock): void {
    if (this.clock === clock) return;
    this.clock = clock;
    this.epochNs = this.unixNowNs() - BigInt(Math.round(clock.wallNs()));
  }

  /** Give it every event of the session, in order. */
  readonly onEvent = (event: SessionEvent): void => {
    this.players.onEvent(event);
    if (event.type === 'notes') {
      const { started, ended } = this.changes.update(event);
      const off = ended.map((v) => noteOff(v, this.players.of(v.owner)));
      this.send(event.ns, [...off, ...started.map((v) => noteOn(v, this.players.of(v.owner)))]);
    } else if (event.type === 'stream-end') {
      this.send(event.ns, this.changes.endAll().map((v) => noteOff(v, this.players.of(v.owner))));
    } else if (event.type === 'cue') {
      this.send(secondsToNs(event.t), [cue(event.name, event.source)]);
    }
  };

  /** The Unix ns a logical time is stamped with: when the clock reaches it, plus the latency. */
  unixNsAt(logicalNs: number, clock: OscClock): bigint {
    return this.epochNs + BigInt(Math.round(clock.wallAtNs(logicalNs))) + this.latencyNs;
  }

  /** Resolves once every bundle handed to the socket has gone, and the socket is closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pending > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private send(logicalNs: number, elements: OscMessageInput[]): void {
    if (elements.length === 0 || this.closed || this.clock === null) return;
    const packet = toBuffer({ timetag: timeTagOfUnixNs(this.unixNsAt(logicalNs, this.clock)), elements });
    this.pending++;
    this.socket.send(new Uint8Array(packet.buffer, packet.byteOffset, packet.byteLength), this.target.port, this.address, (error) => {
      if (error) this.onFailure(error);
      else this.sent++;
      if (--this.pending === 0) this.drained?.();
    });
  }

  private onFailure(error: Error): void {
    if (this.failed++ > 0) return;
    const code = (error as NodeJS.ErrnoException).code ?? error.message;
    this.options.warn(`a bundle to ${this.target.host}:${this.target.port} did not go (${code}); the music goes on, and so do the next bundles`);
  }
}

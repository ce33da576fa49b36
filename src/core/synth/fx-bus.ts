/**
 * The effect chains of a render: voices whose chains are equal share one
 * instance of it (a bus), as the notes inside one Sonic Pi `with_fx` do. A
 * voice mixes into its bus's input; each block the bus runs its chain and adds
 * the result to the mix. A bus no voice holds rings on (its tail) until its
 * output has stayed under the silence threshold for as long as it remembers
 * (fx-dsp.ts), and is dropped then.
 */
import { chainKey, MAX_LIVE_CHAINS, type Effect } from '../stream/fx';
import { nsToSeconds } from '../time';
import { fxKit, type DspEffect, type FxChain } from './fx-dsp';

const kit = fxKit();

/** The tails' silence threshold: -90 dBFS. */
export const TAIL_SILENCE = kit.SILENCE;

/** A chain as the DSP takes it (a delay's TIME in seconds). */
export function dspEffects(chain: readonly Effect[]): DspEffect[] {
  return chain.map((e) => (e.type === 'delay' ? { type: 'delay', seconds: nsToSeconds(e.ns), feedback: e.feedback } : e));
}

export interface Bus {
  readonly chain: FxChain;
  /** What the voices send it in this block. */
  readonly input: Float64Array;
  /** Voices that go through it (held or releasing). */
  voices: number;
  /** The first stage of its chain has run on this block (mixInto). */
  firstDone: boolean;
}

export class FxBuses {
  /** In the order made: the order their outputs are added in, so the sum is the same every time. */
  private readonly buses = new Map<string, Bus>();

  constructor(
    private readonly rate: number,
    private readonly blockSize: number,
  ) {}

  get size(): number {
    return this.buses.size;
  }

  /** The bus a new voice of `effects` goes through (made if there is none). */
  join(effects: readonly Effect[]): Bus {
    const key = chainKey(effects);
    let bus = this.buses.get(key);
    if (bus === undefined) {
      if (this.buses.size >= MAX_LIVE_CHAINS) this.cutOldestTail();
      bus = { chain: kit.createChain(dspEffects(effects), this.rate), input: new Float64Array(this.blockSize), voices: 0, firstDone: false };
      this.buses.set(key, bus);
    }
    bus.voices++;
    return bus;
  }

  /** Clear every bus's input for the next `n` samples. */
  begin(n: number): void {
    for (const bus of this.buses.values()) bus.input.fill(0, 0, n);
  }

  /**
   * Run each bus over its input and add it to mix[0 .. n-1], in the order
   * made. Chains that begin with a filter first run those filters two by two
   * (Stage.processBeside): a filter's recursion is a chain of waits in the
   * processor, and two overlap. Each bus's samples are its own arithmetic
   * whatever runs beside it, so the sum is the same bits.
   */
  mixInto(mix: Float64Array, n: number): void {
    let waiting: Bus | null = null;
    for (const bus of this.buses.values()) {
      bus.firstDone = false;
      if (bus.chain.stages[0]?.processBeside === undefined) continue;
      if (waiting === null) waiting = bus;
      else {
        waiting.chain.stages[0].processBeside!(bus.chain.stages[0], waiting.input, bus.input, n);
        waiting.firstDone = bus.firstDone = true;
        waiting = null;
      }
    }
    for (const bus of this.buses.values()) {
      const input = bus.input;
      bus.chain.processFrom(input, n, bus.firstDone ? 1 : 0);
      for (let j = 0; j < n; j++) mix[j] += input[j];
    }
  }

  /** Drop the buses no voice holds whose tails are over (called at fixed sample positions, so renders split alike). */
  dropSilent(): void {
    for (const [key, bus] of this.buses) {
      if (bus.voices === 0 && bus.chain.quietSamples >= bus.chain.memorySamples) this.buses.delete(key);
    }
  }

  clear(): void {
    this.buses.clear();
  }

  /** Too many chains: the oldest tail that no voice holds is cut. */
  private cutOldestTail(): void {
    for (const [key, bus] of this.buses) {
      if (bus.voices === 0) {
        this.buses.delete(key);
        return;
      }
    }
  }
}

/**
 * A voice's effects in the app: the core's DSP (src/core/synth/fx-dsp.ts, the
 * very code the WAV render runs) in an AudioWorklet, one node per chain that
 * sounding voices go through (voices with equal chains share it, as in the
 * core's render). Loaded as the limiter is (limiter.ts): the kit's source text (fxKitSource)
 * and a processor around it, from a Blob URL.
 *
 * Not Tone's effects: Tone.Freeverb, FeedbackDelay and Filter are other
 * arithmetic (Chromium's BiquadFilterNode even reads Q in dB), so the app
 * would only approximate the WAV; one DSP makes them the same to float32 rounding.
 */
import type { Effect } from '../../core/stream/fx';
import { dspEffects } from '../../core/synth/fx-bus';
import { fxKitSource, type DspEffect, type FxKit } from '../../core/synth/fx-dsp';
import { workletLoader } from './worklet-module';

export const FX_PROCESSOR = 'corotone-fx-chain';

/** Runs inside the worklet's global scope, from its source text (see limiter.ts). */
function defineFxProcessor(name: string, kit: FxKit): void {
  const scope = globalThis as unknown as {
    sampleRate: number;
    AudioWorkletProcessor: new () => object;
    registerProcessor(name: string, processor: unknown): void;
  };
  const { createChain } = kit;
  class FxChainProcessor extends scope.AudioWorkletProcessor {
    private readonly chain: ReturnType<typeof createChain>;
    constructor(options: { processorOptions: { effects: DspEffect[] } }) {
      super();
      this.chain = createChain(options.processorOptions.effects, scope.sampleRate);
    }

    process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
      const input = inputs[0]?.[0];
      const output = outputs[0][0];
      if (input === undefined) output.fill(0);
      else output.set(input);
      this.chain.process(output, output.length);
      return true;
    }
  }
  scope.registerProcessor(name, FxChainProcessor);
}

const SOURCE = `(${defineFxProcessor.toString()})(${JSON.stringify(FX_PROCESSOR)}, ${fxKitSource()});`;

/** Load the effects' module into `context` (once per context). */
export const loadFx = workletLoader(SOURCE);

/** A mono node that runs `chain`; its module must be loaded. */
export function createFxNode(context: BaseAudioContext, chain: readonly Effect[]): AudioWorkletNode {
  return new AudioWorkletNode(context, FX_PROCESSOR, {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    outputChannelCount: [1],
    channelCount: 1,
    channelCountMode: 'explicit',
    processorOptions: { effects: dspEffects(chain) },
  });
}

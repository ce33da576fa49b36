/**
 * The master limiter: the core synth's peak limiter (src/core/synth/limiter.ts:
 * instant attack, 20 ms hold, 100 ms release, ceiling -0.5 dBFS) run in an
 * AudioWorklet, so the app and the WAV renders limit alike (the same peak to 1e-7 in test/e2e/app-voices.test.ts).
 *
 * Not Tone.Limiter: in Chromium it is a DynamicsCompressorNode, which delays
 * everything by 6 ms, adds make-up gain to every level, and with Tone's 30 dB
 * knee lets 16 voices at 0.3 through at 4.0 of full scale (measured offline at
 * 48 kHz). A limiter must keep every sample within full scale, so it is this.
 */
import { LIMIT, LIMITER_HOLD_S, LIMITER_RELEASE_S } from '../../core/synth/limiter';
import { workletLoader } from './worklet-module';

export const LIMITER_PROCESSOR = 'corotone-peak-limiter';

interface LimiterSettings {
  name: string;
  limit: number;
  holdSeconds: number;
  releaseSeconds: number;
}

/**
 * Runs inside the worklet's global scope, from its source text: it may use
 * nothing from this module (the bundler's names do not exist there).
 */
function defineLimiterProcessor(settings: LimiterSettings): void {
  const scope = globalThis as unknown as {
    sampleRate: number;
    AudioWorkletProcessor: new () => object;
    registerProcessor(name: string, processor: unknown): void;
  };
  class PeakLimiter extends scope.AudioWorkletProcessor {
    private envelope = 0;
    private holdLeft = 0;
    private readonly holdSamples = Math.round(settings.holdSeconds * scope.sampleRate);
    private readonly releaseCoefficient = Math.exp(-1 / (settings.releaseSeconds * scope.sampleRate));

    process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
      const input = inputs[0];
      const output = outputs[0];
      const limit = settings.limit;
      const frames = output[0].length;
      let envelope = this.envelope;
      let holdLeft = this.holdLeft;
      for (let j = 0; j < frames; j++) {
        // one gain for all channels: the peak of any of them
        let a = 0;
        for (const channel of input) a = Math.max(a, Math.abs(channel[j]));
        if (a >= envelope) {
          envelope = a;
          holdLeft = this.holdSamples;
        } else if (holdLeft > 0) holdLeft--;
        else envelope *= this.releaseCoefficient;
        const gain = envelope > limit ? limit / envelope : 1;
        for (let c = 0; c < output.length; c++) output[c][j] = (input[c]?.[j] ?? 0) * gain;
      }
      this.envelope = envelope;
      this.holdLeft = holdLeft;
      return true;
    }
  }
  scope.registerProcessor(settings.name, PeakLimiter);
}

const SOURCE = `(${defineLimiterProcessor.toString()})(${JSON.stringify({
  name: LIMITER_PROCESSOR,
  limit: LIMIT,
  holdSeconds: LIMITER_HOLD_S,
  releaseSeconds: LIMITER_RELEASE_S,
} satisfies LimiterSettings)});`;

/** Load the limiter's module into `context` (once per context). */
export const loadLimiter = workletLoader(SOURCE);

/** A limiter node (mono or stereo in, the same out); its module must be loaded. */
export function createLimiter(context: BaseAudioContext, channels = 1): AudioWorkletNode {
  return new AudioWorkletNode(context, LIMITER_PROCESSOR, {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    outputChannelCount: [channels],
    channelCount: channels,
    channelCountMode: 'explicit',
  });
}

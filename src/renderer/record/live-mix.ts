/**
 * Recording what is heard: an AudioWorklet tap on the page's master output
 * (after the volume, as Sonic Pi's Rec records its mix) gathers the samples
 * as 16-bit mono PCM, and stop() encodes them as a WAV file in the page (the
 * core's WAV writer). A recording stops by itself at MAX_RECORD_SECONDS.
 */
import { encodeWav } from '../../core/synth/wav';

/** The longest recording kept: 30 minutes of 48 kHz 16-bit mono is ~170 MB. */
export const MAX_RECORD_SECONDS = 30 * 60;

/** The worklet, from a blob URL (the page's CSP allows blob: scripts): it posts its input, mixed to mono, in blocks. */
const TAP_SOURCE = `
class CorotoneTap extends AudioWorkletProcessor {
  constructor() { super(); this.block = new Float32Array(4096); this.filled = 0; this.port.onmessage = () => this.flush(); }
  flush() { if (this.filled > 0) { const out = this.block.slice(0, this.filled); this.port.postMessage(out, [out.buffer]); this.filled = 0; } this.port.postMessage(null); }
  process(inputs) {
    const channels = inputs[0];
    if (channels && channels.length > 0) {
      const n = channels[0].length;
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let c = 0; c < channels.length; c++) sum += channels[c][i];
        this.block[this.filled++] = sum / channels.length;
        if (this.filled === this.block.length) { this.port.postMessage(this.block.slice()); this.filled = 0; }
      }
    }
    return true;
  }
}
registerProcessor('corotone-tap', CorotoneTap);
`;

const loaded = new WeakSet<BaseAudioContext>();

export class LiveMixRecorder {
  private node: AudioWorkletNode | null = null;
  private chunks: Int16Array[] = [];
  private frames = 0;
  /** Called when the recording stopped by itself (it reached MAX_RECORD_SECONDS). */
  onFull: (() => void) | null = null;

  constructor(
    private readonly context: AudioContext,
    /** Connects the master output to a node (AudioEngine.tap). */
    private readonly tap: (node: AudioNode) => void,
  ) {}

  get recording(): boolean {
    return this.node !== null;
  }

  get seconds(): number {
    return this.frames / this.context.sampleRate;
  }

  async start(): Promise<void> {
    if (this.node !== null) return;
    if (!loaded.has(this.context)) {
      const url = URL.createObjectURL(new Blob([TAP_SOURCE], { type: 'text/javascript' }));
      try {
        await this.context.audioWorklet.addModule(url);
      } finally {
        URL.revokeObjectURL(url);
      }
      loaded.add(this.context);
    }
    this.chunks = [];
    this.frames = 0;
    const node = new AudioWorkletNode(this.context, 'corotone-tap', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
    node.port.onmessage = (e: MessageEvent<Float32Array | null>) => {
      if (e.data !== null) this.take(e.data);
    };
    this.tap(node);
    // pulled by the graph only when it leads to the destination; its output is silence
    node.connect(this.context.destination);
    this.node = node;
  }

  /** Stop, and the WAV of what was heard since start (null if not recording). */
  async stop(): Promise<Uint8Array | null> {
    const node = this.node;
    if (node === null) return null;
    this.node = null;
    // the worklet's last partial block, then its end mark
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 500);
      node.port.onmessage = (e: MessageEvent<Float32Array | null>) => {
        if (e.data === null) {
          clearTimeout(timer);
          resolve();
        } else this.take(e.data, true);
      };
      node.port.postMessage('flush');
    });
    node.disconnect();
    node.port.close();
    const samples = new Int16Array(this.frames);
    let at = 0;
    for (const chunk of this.chunks) {
      samples.set(chunk, at);
      at += chunk.length;
    }
    this.chunks = [];
    return encodeWav(samples, this.context.sampleRate);
  }

  private take(block: Float32Array, stopping = false): void {
    if (!stopping && this.node === null) return;
    const room = Math.max(0, Math.floor(MAX_RECORD_SECONDS * this.context.sampleRate) - this.frames);
    const n = Math.min(room, block.length);
    const pcm = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      const s = Math.max(-1, Math.min(1, block[i]));
      pcm[i] = s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
    }
    this.chunks.push(pcm);
    this.frames += n;
    if (n < block.length && !stopping) this.onFull?.();
  }
}

/**
 * The audio device's buffer, chosen by the AudioContext's latencyHint when the
 * context is made. It is most of the time from a typed key to its sound: in
 * Chromium on Linux 'interactive' gives a 10 ms buffer and an outputLatency of
 * 32 ms, a hint of 0 the smallest buffer Chromium allows (128 frames, 2.9 ms)
 * and an outputLatency of 8 ms (`npm run bench -- app/latency`, BENCHMARKS.md).
 * A smaller buffer leaves the audio thread less time before the device needs
 * the next one: on a loaded machine it may underrun (a click, a dropout),
 * so 'normal' is there to go back to.
 */
export const OUTPUT_LATENCIES = ['low', 'normal'] as const;
export type OutputLatency = (typeof OUTPUT_LATENCIES)[number];

/** The AudioContext's latencyHint for each choice. */
export function latencyHintOf(choice: OutputLatency): AudioContextLatencyCategory | number {
  return choice === 'low' ? 0 : 'interactive';
}

/** The sound settings the page keeps across reloads (localStorage), checked on the way in. */
import { WAVEFORMS, type Waveform } from './audio/player';
import { DEFAULT_LOOKAHEAD } from './audio/schedule';
import { OUTPUT_LATENCIES, type OutputLatency } from './audio/output-latency';

const SETTINGS_KEY = 'corotone.settings';

export interface Settings {
  volume: number;
  waveform: Waveform;
  lookaheadMs: number;
  /** The audio device's buffer (audio/output-latency.ts); it takes effect when the page loads. */
  outputLatency: OutputLatency;
}

export function loadSettings(): Settings {
  const defaults: Settings = { volume: 0.8, waveform: 'sine', lookaheadMs: DEFAULT_LOOKAHEAD * 1000, outputLatency: 'low' };
  try {
    const raw = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}') as Partial<Settings>;
    return {
      volume: typeof raw.volume === 'number' && raw.volume >= 0 && raw.volume <= 1 ? raw.volume : defaults.volume,
      waveform: WAVEFORMS.includes(raw.waveform as Waveform) ? (raw.waveform as Waveform) : defaults.waveform,
      lookaheadMs:
        typeof raw.lookaheadMs === 'number' && raw.lookaheadMs >= 0 && raw.lookaheadMs <= 1000 ? raw.lookaheadMs : defaults.lookaheadMs,
      outputLatency: OUTPUT_LATENCIES.includes(raw.outputLatency as OutputLatency) ? (raw.outputLatency as OutputLatency) : defaults.outputLatency,
    };
  } catch {
    return defaults;
  }
}

export function saveSettings(settings: Settings): void {
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // settings last for this page only
  }
}

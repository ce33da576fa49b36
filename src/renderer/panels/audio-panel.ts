/**
 * The audio as a panel: it plays the session's notes on the audio engine,
 * follows the host's speed, and holds the sound settings (volume, waveform,
 * lookahead, output latency), the "start audio" banner and Panic.
 */
import type { SessionEvent } from '../../core/session/api';
import { noteFrequency } from '../../core/stream/notes';
import type { VoiceInfo } from '../../core/stream/voice';
import { WAVEFORMS, type Waveform } from '../audio/player';
import type { HostNote, Joined, Panel } from '../panel';
import { byId, type Page } from '../page';
import { saveSettings, type Settings } from '../settings';

export class AudioPanel implements Panel {
  constructor(
    private readonly page: Page,
    private readonly settings: Settings,
  ) {
    const { audio, keys } = page;
    audio.onLate = (t, lateBy) => page.feed.model.markLate(t, lateBy);
    this.wireSettings();
    this.wireStart();
    byId('panic').addEventListener('click', () => void this.panic());
    keys.on('panic', () => void this.panic());
  }

  onEvent(event: SessionEvent): void {
    if (event.type === 'notes' || event.type === 'stream-end') this.page.audio.handle(event);
  }

  onSnapshot({ snapshot, clock }: Joined): void {
    // who holds which note: the last notes event the snapshot recalls, if it still tells the notes sounding
    let voices: VoiceInfo[] | undefined;
    for (let i = snapshot.recent.length - 1; i >= 0; i--) {
      const e = snapshot.recent[i];
      if (e.type !== 'notes') continue;
      if (e.notes.length === snapshot.notes.length && e.notes.every((n, j) => n === snapshot.notes[j])) voices = e.voices;
      break;
    }
    this.page.audio.resync(snapshot.notes, snapshot.notes.map(noteFrequency), voices);
    this.page.audio.setSpeed(clock.t, clock.speed);
  }

  onHostNote(note: HostNote): void {
    // the host changed speed at `clock.t`: the audio re-anchors there
    if (note.type === 'clock') this.page.audio.setSpeed(note.clock.t, note.clock.speed);
  }

  /** Silence here at once, then on the host; the terminal says what it stopped, as a typed `panic` does. */
  async panic(): Promise<void> {
    const { audio, feed, terminal, api } = this.page;
    audio.panic();
    const notes = feed.model.activeNotes;
    let tasks = 0;
    for (const lane of feed.model.lanes) for (const task of lane.tasks) if (Number.isNaN(task.end) && task.kind !== 'source') tasks++;
    const reply = await api.panic();
    if (!reply.ok) {
      terminal.notice(`panic: ${reply.error.message}`, true);
      return;
    }
    const silenced = notes.length > 0 ? `, silenced ${notes.join(' ')}` : ', nothing was sounding';
    terminal.notice(`panic (Shift+Esc): stopped ${tasks} task${tasks === 1 ? '' : 's'}${silenced}`);
  }

  private wireSettings(): void {
    const { audio } = this.page;
    const settings = this.settings;
    const volume = byId<HTMLInputElement>('volume');
    volume.value = String(Math.round(settings.volume * 100));
    volume.addEventListener('input', () => {
      settings.volume = Number(volume.value) / 100;
      audio.volume = settings.volume;
      saveSettings(settings);
    });
    const wave = byId<HTMLSelectElement>('waveform');
    for (const w of WAVEFORMS) wave.append(new Option(w, w, w === settings.waveform, w === settings.waveform));
    wave.addEventListener('change', () => {
      settings.waveform = wave.value as Waveform;
      audio.waveform = settings.waveform;
      saveSettings(settings);
    });
    const lookahead = byId<HTMLInputElement>('lookahead');
    lookahead.value = String(settings.lookaheadMs);
    lookahead.addEventListener('change', () => {
      const ms = Math.min(1000, Math.max(0, Number(lookahead.value) || 0));
      lookahead.value = String(ms);
      settings.lookaheadMs = ms;
      audio.lookahead = ms / 1000;
      saveSettings(settings);
    });
    // the buffer is fixed when the AudioContext is made: a reload opens the device with the new one
    const output = byId<HTMLSelectElement>('output-latency');
    output.value = settings.outputLatency;
    output.addEventListener('change', () => {
      settings.outputLatency = output.value as Settings['outputLatency'];
      saveSettings(settings);
      location.reload();
    });
  }

  /** The AudioContext may only start inside a user gesture: the first one starts it. */
  private wireStart(): void {
    const { audio } = this.page;
    const banner = byId('audio-banner');
    const start = () => void audio.start();
    for (const type of ['pointerdown', 'keydown'] as const) window.addEventListener(type, start, { capture: true });
    byId('audio-start').addEventListener('click', start);
    const show = () => {
      const running = audio.state === 'running';
      banner.hidden = running;
      if (running) for (const type of ['pointerdown', 'keydown'] as const) window.removeEventListener(type, start, { capture: true });
    };
    audio.onChange(show);
    show();
  }
}

/**
 * MIDI out as a panel: the status bar's "MIDI out" menu lists the Web MIDI
 * outputs (asked for the first time it is opened: the browser may ask the
 * user; Electron grants MIDI, never SysEx), and the one chosen gets every
 * voice the app plays (audio/engine.ts, midi/live-midi.ts). "sound" says
 * whether the app's own sound plays too.
 */
import type { SessionEvent } from '../../core/session/api';
import type { Panel } from '../panel';
import { byId, type Page } from '../page';
import type { MidiPort } from '../midi/live-midi';

/** What of Web MIDI's MIDIAccess this uses. */
interface MidiAccess {
  outputs: { forEach(visit: (port: MidiPort & { id: string }) => void): void };
  onstatechange: (() => void) | null;
}

type RequestMidiAccess = (options: { sysex: boolean }) => Promise<MidiAccess>;

export class MidiPanel implements Panel {
  private readonly select = byId<HTMLSelectElement>('midi-out');
  private readonly sound = byId<HTMLInputElement>('app-sound');
  private access: Promise<MidiAccess | null> | null = null;
  private ports = new Map<string, MidiPort>();

  constructor(private readonly page: Page) {
    const ask = () => void this.outputs();
    this.select.addEventListener('pointerdown', ask);
    this.select.addEventListener('focus', ask);
    this.select.addEventListener('change', () => this.choose(this.select.value));
    this.sound.checked = page.audio.appSound;
    this.sound.addEventListener('change', () => {
      page.audio.appSound = this.sound.checked;
    });
  }

  dispose(): void {
    this.page.audio.midi.use(null);
  }

  /** A stop, Ctrl+C or panic ended tasks: MIDI out sends all notes off once nothing sounds. */
  onEvent(event: SessionEvent): void {
    if (event.type === 'task-cancelled' && (event.reason === 'stop' || event.reason === 'interrupt' || event.reason === 'panic')) this.page.audio.midi.stop();
  }

  /** The outputs, asked for once (null: this browser has no Web MIDI, or the user said no). */
  outputs(): Promise<MidiAccess | null> {
    this.access ??= this.requestAccess();
    return this.access;
  }

  private async requestAccess(): Promise<MidiAccess | null> {
    const request = (navigator as unknown as { requestMIDIAccess?: RequestMidiAccess }).requestMIDIAccess;
    if (typeof request !== 'function') {
      this.select.title = 'Web MIDI is not available in this browser';
      return null;
    }
    try {
      const access = await request.call(navigator, { sysex: false });
      access.onstatechange = () => this.list(access);
      this.list(access);
      return access;
    } catch (error) {
      this.page.terminal.notice(`MIDI out: no access to MIDI (${(error as Error).message})`, true);
      return null;
    }
  }

  /** The menu: "off", then each output by name. */
  private list(access: MidiAccess): void {
    const chosen = this.select.value;
    this.ports = new Map();
    access.outputs.forEach((port) => this.ports.set(port.id, port));
    this.select.replaceChildren(new Option('off', ''), ...[...this.ports].map(([id, port]) => new Option(port.name ?? id, id)));
    this.select.value = this.ports.has(chosen) ? chosen : '';
    // the output in use went away (unplugged): MIDI out is off
    if (chosen !== '' && !this.ports.has(chosen)) this.choose('');
  }

  private choose(id: string): void {
    const port = this.ports.get(id) ?? null;
    this.page.audio.midi.use(port);
    this.page.terminal.info(port === null ? 'MIDI out: off' : `MIDI out: ${port.name ?? id} (corotone's note N is MIDI's N + 12)`);
  }
}

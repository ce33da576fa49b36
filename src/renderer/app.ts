/**
 * The renderer app: wires the transport (Electron preload or web mode's
 * socket) to the terminal, the audio engine, the timeline and the status bar.
 * Host messages are the only input of state: event batches update everything;
 * a snapshot (on every (re)connect and reload) starts a fresh page, adds what
 * was missed to what a page shows of the same session, and draws a new
 * session after the old one's history.
 */
import type { SessionEvent, SessionSnapshot } from '../core/session/api';
import { noteName } from '../core/language/pitch';
import { noteFrequency } from '../core/stream/notes';
import { SPEEDS, type ClockInfo, type Example, type HostMessage } from '../protocol';
import { StoryPanel } from './examples/panel';
import { AudioEngine } from './audio/engine';
import { WAVEFORMS, type Waveform } from './audio/player';
import { DEFAULT_LOOKAHEAD } from './audio/schedule';
import { STATE_NAMES, type TaskRecord, TimelineModel } from './timeline/model';
import { STATE_COLOURS, TimelineView, taskLabel } from './timeline/view';
import { TerminalPane } from './terminal/terminal';
import type { Transport } from './transport';

const SETTINGS_KEY = 'corotone.settings';

interface Settings {
  volume: number;
  waveform: Waveform;
  lookaheadMs: number;
}

function loadSettings(): Settings {
  const defaults: Settings = { volume: 0.8, waveform: 'sine', lookaheadMs: DEFAULT_LOOKAHEAD * 1000 };
  try {
    const raw = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}') as Partial<Settings>;
    return {
      volume: typeof raw.volume === 'number' && raw.volume >= 0 && raw.volume <= 1 ? raw.volume : defaults.volume,
      waveform: WAVEFORMS.includes(raw.waveform as Waveform) ? (raw.waveform as Waveform) : defaults.waveform,
      lookaheadMs:
        typeof raw.lookaheadMs === 'number' && raw.lookaheadMs >= 0 && raw.lookaheadMs <= 1000 ? raw.lookaheadMs : defaults.lookaheadMs,
    };
  } catch {
    return defaults;
  }
}

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el;
}

export class App {
  readonly model = new TimelineModel();
  readonly audio: AudioEngine;
  readonly terminal: TerminalPane;
  readonly timeline: TimelineView;
  private settings = loadSettings();
  private clock: ClockInfo | null = null;
  private sessionId: string | null = null;
  private sessionEnded = false;
  private snapshots = 0;
  /** Logical time of the latest event, and when (performance.now) it arrived. */
  private lastEventT = 0;
  /** The now-cursor's last reading: it never steps back by a little (see logicalNow). */
  private shownNow = -Infinity;
  readonly story: StoryPanel;
  private examplesListed = false;

  constructor(readonly transport: Transport) {
    this.audio = new AudioEngine({
      lookahead: this.settings.lookaheadMs / 1000,
      volume: this.settings.volume,
      waveform: this.settings.waveform,
    });
    this.audio.onLate = (t, lateBy) => this.model.markLate(t, lateBy);
    this.terminal = new TerminalPane($('terminal'));
    this.timeline = new TimelineView($('timeline-canvas') as HTMLCanvasElement, this.model, () => this.timelineNow());
    this.story = new StoryPanel($('story'), {
      playExample: (example) => void this.openExample(example.file),
      playEdited: (name, text) => void this.loadScript(name, text),
      stop: (sources) => {
        for (const source of sources) void this.transport.api.stopSource({ source });
      },
      toggled: (open) => {
        document.querySelector('.panes')?.classList.toggle('with-story', open);
        $('story-toggle').classList.toggle('on', open);
      },
    });
    this.terminal.onSubmit = (line) => void this.submit(line);
    this.terminal.onCancel = () => void this.cancelRunningLine();
    this.wireControls();
    this.wireTimeline();
    this.wireScripts();
    this.wireExamples();
    this.wireSpeed();
    this.wireAudioStart();
    transport.onMessage((message) => this.receive(message));
    transport.onStatus((status) => {
      this.showConnection(status);
      if (status === 'open') {
        void transport.api.requestSnapshot();
        void this.listExamples();
      }
    });
    this.showConnection(transport.status);
    if (transport.status === 'open') {
      void transport.api.requestSnapshot();
      void this.listExamples();
    }
    this.timeline.start();
    setInterval(() => this.updateStatus(), 250);
    this.updateStatus();
    this.terminal.info('corotone: type commands, e.g. add 60, chord 0.5 72 75 79, help\nTab completes · ↑/↓ history · Ctrl+C cancels · Ctrl+O or drop a .txt to play it');
    this.terminal.focus();
  }

  // ---- host messages -------------------------------------------------------

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'events':
        for (const event of message.events) this.event(event);
        break;
      case 'snapshot':
        this.snapshot(message.snapshot, message.clock, message.sessionId, message.example ?? null);
        break;
      case 'notice':
        this.terminal.notice(message.text, message.level === 'error');
        break;
      case 'example':
        this.showExample(message.example);
        break;
      case 'clock':
        this.clockChanged(message.clock);
        break;
    }
  }

  private event(event: SessionEvent): void {
    this.model.apply(event);
    if ('t' in event) this.lastEventT = Math.max(this.lastEventT, event.t);
    switch (event.type) {
      case 'notes':
      case 'stream-end':
        this.audio.handle(event);
        break;
      case 'task-created':
        if (event.kind === 'line') this.terminal.phrases.learnLine(event.name, event.source);
        if (event.kind === 'line' && event.pos) this.terminal.learnLine(event.pos.source, event.pos.line, event.name, event.pos.col);
        break;
      case 'output':
        this.terminal.output(event.text, event.source);
        break;
      case 'diagnostic':
        this.terminal.diagnostic(event.diagnostic);
        break;
      case 'source-opened':
        if (event.source !== 'terminal') this.terminal.info(`▶ ${event.source} plays`);
        break;
      case 'source-ended':
        if (event.source !== 'terminal') this.terminal.info(`■ ${event.source} ended (${event.reason})`);
        break;
      case 'session-ended':
        this.sessionEnded = true;
        this.terminal.notice('the session has ended (quit)');
        break;
    }
  }

  private snapshot(snapshot: SessionSnapshot, clock: ClockInfo, sessionId: string, example: Example | null = null): void {
    const first = this.snapshots++ === 0;
    const newSession = this.sessionId !== null && this.sessionId !== sessionId;
    this.sessionId = sessionId;
    if (newSession) {
      // A new session numbers its lines afresh and knows none of the old one's phrases.
      this.terminal.forgetSources();
      this.terminal.phrases.forget();
    }
    this.clock = clock;
    this.lastEventT = snapshot.t;
    this.shownNow = -Infinity;
    this.sessionEnded = snapshot.recent.some((e) => e.type === 'session-ended');
    // After a quit (or a host that came back with a new session) the old
    // session's history stays, and the new one is drawn after it; the same
    // session again (a reconnect, a get-snapshot) adds what was missed to what
    // is shown. Only a page that starts has nothing to keep.
    let missed: SessionEvent[] = [];
    if (first || newSession) this.model.loadSnapshot(snapshot, { keepHistory: newSession });
    else missed = this.model.mergeSnapshot(snapshot);
    this.audio.resync(snapshot.notes, snapshot.notes.map(noteFrequency));
    this.audio.setSpeed(clock.t, clock.speed);
    this.showSpeed(clock.speed);
    if (first && example) this.showExample(example);
    for (const event of snapshot.recent) {
      if (event.type === 'task-created' && event.kind === 'line') {
        this.terminal.phrases.learnLine(event.name, event.source);
        if (event.pos) this.terminal.learnLine(event.pos.source, event.pos.line, event.name, event.pos.col);
      }
    }
    for (const task of snapshot.tasks) {
      if (task.kind === 'line') this.terminal.phrases.learnLine(task.name, task.source);
      if (task.kind === 'line' && task.pos) this.terminal.learnLine(task.pos.source, task.pos.line, task.name, task.pos.col);
    }
    if (first || newSession) {
      // A reloaded page: show what the session said lately, then where it stands.
      for (const event of snapshot.recent) {
        if (event.type === 'output') this.terminal.output(event.text, event.source);
        else if (event.type === 'diagnostic') this.terminal.diagnostic(event.diagnostic);
      }
      const live = snapshot.tasks.length;
      const notes = snapshot.notes.length > 0 ? `, sounding ${snapshot.notes.join(' ')}` : '';
      this.terminal.info(`connected to session ${sessionId.slice(0, 8)} at t=${snapshot.t.toFixed(3)}s: ${live} live task${live === 1 ? '' : 's'}${notes}`);
    } else {
      // Back on the same session: say what it said while the page was away.
      for (const event of missed) {
        if (event.type === 'output') this.terminal.output(event.text, event.source);
        else if (event.type === 'diagnostic') this.terminal.diagnostic(event.diagnostic);
      }
    }
    if (this.timeline.follow === false && first) this.timeline.setFollow(true);
    this.timeline.invalidate();
  }

  // ---- time ----------------------------------------------------------------

  /**
   * Logical time as heard now: the audio clock's once notes have fixed its
   * mapping; before that the host clock's, less what the audio will add (the
   * lookahead and output latency, in logical seconds), so the cursor does not
   * jump back when the first note arrives. It never steps back by less than a
   * second either (a clock handing over to another); a bigger step back is a
   * new clock.
   */
  logicalNow(): number {
    const t = this.readClock();
    if (t < this.shownNow && this.shownNow - t < 1) return this.shownNow;
    this.shownNow = t;
    return t;
  }

  private readClock(): number {
    const audio = this.audio.logicalNow();
    if (audio !== null) return Math.max(0, audio);
    if (this.sessionEnded) return this.lastEventT;
    if (this.clock) {
      const host = this.clock.t + ((Date.now() - this.clock.epochMs) / 1000) * this.clock.speed;
      if (this.audio.state === 'running') return Math.max(0, host - this.audio.heardDelay * this.clock.speed);
      return Math.max(host, this.lastEventT);
    }
    return this.lastEventT;
  }

  /** Now on the timeline (where the current session's times are drawn, after those before a quit). */
  timelineNow(): number {
    return this.model.base + this.logicalNow();
  }

  /** The host changed speed at `clock.t`: re-anchor the audio there, and the host clock estimate. */
  private clockChanged(clock: ClockInfo): void {
    this.clock = clock;
    this.audio.setSpeed(clock.t, clock.speed);
    this.showSpeed(clock.speed);
  }

  private showSpeed(speed: number): void {
    const select = document.getElementById('speed') as HTMLSelectElement | null;
    if (select && Number(select.value) !== speed) select.value = String(speed);
  }

  /** Ask the host to play logical time at `speed` (1, 1/2, 1/4 of real time). */
  async setSpeed(speed: number): Promise<void> {
    const allowed = SPEEDS.find((s) => s === speed);
    if (allowed === undefined) return;
    const reply = await this.transport.api.setSpeed({ speed: allowed });
    if (!reply.ok) this.terminal.notice(`speed: ${reply.error.message}`, true);
    else this.terminal.info(`speed ${speedLabel(reply.value.speed)}: ${reply.value.speed === 1 ? 'real time' : 'slow motion, notes keep their exact relative timing'}`);
  }

  // ---- actions -------------------------------------------------------------

  async submit(line: string): Promise<void> {
    if (line.trim() === '') return;
    const reply = await this.transport.api.submitLine({ line });
    if (!reply.ok) {
      for (const d of reply.error.diagnostics ?? []) this.terminal.diagnostic(d);
      this.terminal.notice(reply.error.message, true);
    }
  }

  /** Ctrl+C: cancel the terminal's running line (the newest live line task). */
  async cancelRunningLine(): Promise<void> {
    const lane = this.model.lanes.find((l) => l.name === 'terminal');
    let target: TaskRecord | null = null;
    if (lane) {
      for (let i = lane.tasks.length - 1; i >= 0; i--) {
        const t = lane.tasks[i];
        if (Number.isNaN(t.end) && t.kind !== 'source' && (target === null || t.depth < target.depth)) target = t;
      }
    }
    if (target === null) return;
    const reply = await this.transport.api.cancelTask({ taskId: target.id });
    if (reply.ok && reply.value.cancelled) this.terminal.info(`cancelled: ${target.name}`);
  }

  /**
   * Play a script as its own source. It is parsed here first, with the
   * engine's own parser and the session's phrases: a script with errors shows
   * them, located, and does not play at all.
   */
  async loadScript(name: string, text: string): Promise<void> {
    this.terminal.setSourceText(name, text);
    // With the session's phrases: a script may use what the terminal defined.
    const problems = this.terminal.phrases.check(text, name);
    if (problems.length > 0) {
      for (const d of problems) this.terminal.diagnostic(d);
      this.terminal.notice(`${name}: not played, ${problems.length} error${problems.length === 1 ? '' : 's'} to fix first`, true);
      return;
    }
    const reply = await this.transport.api.loadScript({ name, text });
    if (!reply.ok) {
      for (const d of reply.error.diagnostics ?? []) this.terminal.diagnostic(d);
      this.terminal.notice(`${name}: ${reply.error.message}`, true);
      return;
    }
    // The host reports any diagnostics as events too; they are printed from there.
    const { source, started } = reply.value;
    if (source !== name) this.terminal.setSourceText(source, text);
    // The session read the whole script, defs and all: its phrases complete from now on.
    if (started) this.terminal.phrases.learnScript(text, source);
    if (!started) this.terminal.notice(`${name}: not played`, true);
  }

  // ---- examples --------------------------------------------------------------

  /** Fill the Examples control from the host (once per connection). */
  async listExamples(): Promise<void> {
    const reply = await this.transport.api.listExamples();
    if (!reply.ok) return;
    const select = $('examples') as HTMLSelectElement;
    select.replaceChildren(new Option('Examples…', ''));
    reply.value.examples.forEach((e, i) => {
      const option = new Option(`${i + 1}. ${e.title}`, e.file);
      option.title = e.story;
      select.append(option);
    });
    select.hidden = reply.value.examples.length === 0;
    this.examplesListed = true;
    if (this.story.example) select.value = this.story.example.file;
  }

  get examplesReady(): boolean {
    return this.examplesListed;
  }

  /** Play an example lesson; its story opens beside the timeline. */
  async openExample(file: string): Promise<void> {
    const reply = await this.transport.api.loadExample({ file });
    if (!reply.ok) {
      for (const d of reply.error.diagnostics ?? []) this.terminal.diagnostic(d);
      this.terminal.notice(reply.error.message, true);
      return;
    }
    this.showExample(reply.value.example);
  }

  private showExample(example: Example): void {
    const fresh = this.story.example?.file !== example.file || !this.story.isOpen;
    this.terminal.setSourceText(example.file, example.text);
    this.story.show(example);
    const select = document.getElementById('examples') as HTMLSelectElement | null;
    if (select) select.value = example.file;
    ($('story-toggle') as HTMLButtonElement).disabled = false;
    if (fresh) this.terminal.info(`example: ${example.title} (${example.file}); its story is beside the timeline`);
  }

  async exportAudio(): Promise<void> {
    this.terminal.info('rendering the WAV…');
    this.deliver(await this.transport.api.exportAudio());
  }

  async saveSession(): Promise<void> {
    this.deliver(await this.transport.api.saveSession());
  }

  /** Where a file the host made went: saved by Electron, or offered here as a download (web mode). */
  private deliver(reply: Awaited<ReturnType<Transport['api']['saveSession']>>): void {
    if (!reply.ok) {
      this.terminal.notice(reply.error.message, true);
      return;
    }
    const file = reply.value;
    if (file.kind === 'saved') this.terminal.success(`saved to ${file.path}`);
    else if (file.kind === 'download') {
      const bytes = file.encoding === 'base64' ? Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0)) : new TextEncoder().encode(file.data);
      const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.terminal.success(`downloaded ${file.fileName}`);
    } else if (file.kind === 'link') {
      // Web mode's exported audio: the browser fetches it from the host (same origin; its unguessable path is what grants it) as a download.
      const a = document.createElement('a');
      a.href = file.url;
      a.download = file.fileName;
      a.click();
      this.terminal.success(`downloading ${file.fileName} (${(file.size / 1e6).toFixed(1)} MB)`);
    }
  }

  panic(): void {
    this.audio.panic();
    void this.transport.api.panic();
    this.terminal.notice('panic: everything stopped and silenced');
  }

  // ---- wiring ----------------------------------------------------------------

  private wireControls(): void {
    const volume = $('volume') as HTMLInputElement;
    volume.value = String(Math.round(this.settings.volume * 100));
    volume.addEventListener('input', () => {
      this.settings.volume = Number(volume.value) / 100;
      this.audio.volume = this.settings.volume;
      this.saveSettings();
    });
    const wave = $('waveform') as HTMLSelectElement;
    for (const w of WAVEFORMS) wave.append(new Option(w, w, w === this.settings.waveform, w === this.settings.waveform));
    wave.addEventListener('change', () => {
      this.settings.waveform = wave.value as Waveform;
      this.audio.waveform = this.settings.waveform;
      this.saveSettings();
    });
    const lookahead = $('lookahead') as HTMLInputElement;
    lookahead.value = String(this.settings.lookaheadMs);
    lookahead.addEventListener('change', () => {
      const ms = Math.min(1000, Math.max(0, Number(lookahead.value) || 0));
      lookahead.value = String(ms);
      this.settings.lookaheadMs = ms;
      this.audio.lookahead = ms / 1000;
      this.saveSettings();
    });
    $('panic').addEventListener('click', () => this.panic());
    $('export-audio').addEventListener('click', () => void this.exportAudio());
    $('save-session').addEventListener('click', () => void this.saveSession());
    window.addEventListener(
      'keydown',
      (e) => {
        if (e.key === 'Escape' && e.shiftKey) {
          e.preventDefault();
          e.stopPropagation();
          this.panic();
        }
      },
      { capture: true },
    );
  }

  private wireExamples(): void {
    const select = $('examples') as HTMLSelectElement;
    select.addEventListener('change', () => {
      if (select.value !== '') void this.openExample(select.value);
    });
    $('story-toggle').addEventListener('click', () => this.story.toggle());
    window.addEventListener(
      'keydown',
      (e) => {
        if ((e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.key.toLowerCase() === 'l') {
          e.preventDefault();
          e.stopPropagation();
          this.story.toggle();
        }
      },
      { capture: true },
    );
  }

  private wireSpeed(): void {
    const select = $('speed') as HTMLSelectElement;
    select.addEventListener('change', () => void this.setSpeed(Number(select.value)));
  }

  private saveSettings(): void {
    try {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(this.settings));
    } catch {
      // settings last for this page only
    }
  }

  private wireTimeline(): void {
    const view = this.timeline;
    const follow = $('follow') as HTMLButtonElement;
    const showFollow = (on: boolean) => follow.classList.toggle('on', on);
    view.onFollowChange = showFollow;
    showFollow(view.follow);
    follow.addEventListener('click', () => view.setFollow(!view.follow));
    $('zoom-in').addEventListener('click', () => view.zoom(1.5));
    $('zoom-out').addEventListener('click', () => view.zoom(1 / 1.5));
    $('zoom-fit').addEventListener('click', () => {
      view.setFollow(false);
      view.fit(this.firstTime(), this.timelineNow());
    });
    const canvas = view.canvas;
    canvas.tabIndex = 0;
    canvas.addEventListener('keydown', (e) => {
      if (e.key === '1' || e.key === '2' || e.key === '4') void this.setSpeed(1 / Number(e.key));
      else if (e.key === '+' || e.key === '=') view.zoom(1.5);
      else if (e.key === '-' || e.key === '_') view.zoom(1 / 1.5);
      else if (e.key === 'f') view.setFollow(!view.follow);
      else if (e.key === 'ArrowLeft') {
        view.setFollow(false);
        view.axis.pan(60);
      } else if (e.key === 'ArrowRight') view.axis.pan(-60);
      else return;
      view.invalidate();
      e.preventDefault();
    });
    const tip = $('tooltip');
    view.onHover = (hit, x, y) => {
      if (!hit || hit.kind === 'lane') {
        tip.hidden = true;
        return;
      }
      tip.hidden = false;
      tip.replaceChildren();
      if (hit.kind === 'task') {
        const t = hit.task;
        const end = Number.isNaN(t.end) ? null : t.end;
        addLine(tip, taskLabel(t), 'tip-title');
        addLine(tip, `${t.kind} #${t.id}${t.alias ? ` (${t.alias})` : ''} · ${STATE_NAMES[t.state]}${t.unhandled ? ' · unhandled' : ''}`, 'tip-state', STATE_COLOURS[t.state]);
        addLine(tip, `${fmt(t.start)} → ${end === null ? 'now' : fmt(end)}${end === null ? '' : ` (${fmt(end - t.start)})`}`);
        if (t.pos) addLine(tip, `${t.pos.source}:${t.pos.line}:${t.pos.col}`, 'tip-dim');
        if (t.error) addLine(tip, t.error, 'tip-error');
        for (const line of relations(t)) addLine(tip, line.text, line.cls);
      } else if (hit.kind === 'note') {
        const b = hit.bar;
        addLine(tip, `note ${b.note} (${noteName(b.note)}) · ${noteFrequency(b.note).toFixed(2)} Hz`, 'tip-title');
        addLine(tip, `${fmt(b.start)} → ${Number.isNaN(b.end) ? 'now' : fmt(b.end)}`);
      } else {
        addLine(tip, `loop lag in ${hit.lane.name}`, 'tip-title');
        addLine(tip, `at ${fmt(hit.t)}: a resumption ran ${(hit.late * 1000).toFixed(1)} ms late`, 'tip-error');
      }
      const box = view.canvas.getBoundingClientRect();
      tip.style.left = `${Math.min(x + 14, box.width - 260)}px`;
      tip.style.top = `${y + 14}px`;
    };
    const detail = $('detail');
    view.onSelect = (task) => {
      detail.hidden = task === null;
      detail.replaceChildren();
      if (!task) return;
      addLine(detail, taskLabel(task), 'tip-title');
      addLine(detail, `${task.kind} #${task.id}${task.alias ? ` (${task.alias})` : ''} in ${task.source} · ${STATE_NAMES[task.state]}`, 'tip-state', STATE_COLOURS[task.state]);
      const pos = task.diagnostic ?? task.pos;
      if (pos) {
        addLine(detail, `${pos.source}:${pos.line}:${pos.col}`, 'tip-dim');
        const text = this.terminal.lineOf(pos.source, pos.line);
        if (text !== undefined) addLine(detail, `${pos.line} | ${text}`, 'source-line');
      }
      if (task.diagnostic) addLine(detail, task.diagnostic.message, 'tip-error');
      if (task.error) addLine(detail, task.error, 'tip-error');
      for (const line of relations(task)) addLine(detail, line.text, line.cls);
      if (Number.isNaN(task.end)) {
        const cancel = document.createElement('button');
        cancel.textContent = 'Cancel task';
        cancel.addEventListener('click', () => void this.transport.api.cancelTask({ taskId: task.id }));
        detail.append(cancel);
      }
    };
  }

  private firstTime(): number {
    let t = Infinity;
    for (const lane of this.model.lanes) if (lane.tasks.length > 0) t = Math.min(t, lane.tasks[0].start);
    if (this.model.noteBars.length > 0) t = Math.min(t, this.model.noteBars[0].start);
    return Number.isFinite(t) ? t : 0;
  }

  private wireScripts(): void {
    const input = $('file-input') as HTMLInputElement;
    const open = () => input.click();
    $('open').addEventListener('click', open);
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (file) void this.loadFile(file);
      input.value = '';
    });
    // capture: the terminal's keyboard handling would otherwise swallow Ctrl+O
    window.addEventListener(
      'keydown',
      (e) => {
        if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'o') {
          e.preventDefault();
          e.stopPropagation();
          open();
        }
      },
      { capture: true },
    );
    const overlay = $('drop-overlay');
    let depth = 0;
    window.addEventListener('dragenter', (e) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      depth++;
      overlay.hidden = false;
    });
    window.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) overlay.hidden = true;
    });
    window.addEventListener('dragover', (e) => e.preventDefault());
    window.addEventListener('drop', (e) => {
      e.preventDefault();
      depth = 0;
      overlay.hidden = true;
      for (const file of Array.from(e.dataTransfer?.files ?? [])) void this.loadFile(file);
    });
  }

  async loadFile(file: File): Promise<void> {
    if (!/\.txt$/i.test(file.name) && file.type !== 'text/plain') {
      this.terminal.notice(`${file.name}: not a .txt script`, true);
      return;
    }
    await this.loadScript(file.name, await file.text());
  }

  private wireAudioStart(): void {
    const banner = $('audio-banner');
    const start = () => void this.audio.start();
    // The AudioContext may only start inside a user gesture: the first one starts it.
    for (const type of ['pointerdown', 'keydown'] as const) window.addEventListener(type, start, { capture: true });
    $('audio-start').addEventListener('click', start);
    const show = () => {
      const running = this.audio.state === 'running';
      banner.hidden = running;
      if (running) for (const type of ['pointerdown', 'keydown'] as const) window.removeEventListener(type, start, { capture: true });
      this.updateStatus();
    };
    this.audio.onChange(show);
    show();
  }

  private showConnection(status: string): void {
    const el = $('connection');
    el.textContent = this.transport.kind === 'electron' ? 'desktop' : status === 'open' ? 'connected' : status === 'connecting' ? 'connecting…' : 'reconnecting…';
    el.className = `pill ${status === 'open' ? 'ok' : 'warn'}`;
  }

  private updateStatus(): void {
    const s = this.audio.stats();
    const ms = (x: number | null) => (x === null ? '—' : `${(x * 1000).toFixed(1)} ms`);
    setText('st-audio', s.state);
    $('st-audio').className = s.state === 'running' ? 'ok' : 'warn';
    setText('st-latency', `${ms(s.outputLatency)} (base ${ms(s.baseLatency)})`);
    setText('st-lookahead', `${Math.round(s.lookahead * 1000)} ms`);
    setText('st-late', String(s.lateEvents));
    $('st-late').className = s.lateEvents > 0 ? 'warn' : '';
    setText('st-tasks', String(this.model.liveCount - this.model.liveSources));
    setText('st-time', `${this.logicalNow().toFixed(2)} s`);
    const f = this.timeline.frameStats();
    setText('st-frame', `${f.meanMs.toFixed(2)} ms (p95 ${f.p95Ms.toFixed(2)})`);
  }
}

function setText(id: string, text: string): void {
  const el = document.getElementById(id);
  if (el && el.textContent !== text) el.textContent = text;
}

function addLine(parent: HTMLElement, text: string, cls = '', colour = ''): void {
  const div = document.createElement('div');
  div.textContent = text;
  if (cls) div.className = cls;
  if (colour) div.style.color = colour;
  parent.append(div);
}

/** Who a task awaited, who awaited it, and which cancellations its end caused or caused it, in words. */
function relations(task: TaskRecord): { text: string; cls: string }[] {
  const out: { text: string; cls: string }[] = [];
  const name = (t: TaskRecord) => `${t.alias ?? `#${t.id}`} ${t.name}`;
  const list = (tasks: readonly TaskRecord[]) => {
    const shown = tasks.slice(0, 4).map(name).join(', ');
    return tasks.length > 4 ? `${shown} and ${tasks.length - 4} more` : shown;
  };
  const last = task.waits?.[task.waits.length - 1];
  if (last) out.push({ text: `awaits ${list(last.to)}`, cls: 'tip-wait' });
  const by = task.waitedBy?.map((e) => e.from).filter((t, i, all) => all.indexOf(t) === i);
  if (by && by.length > 0) out.push({ text: `awaited by ${list(by)}`, cls: 'tip-dim' });
  if (task.cancels) out.push({ text: `its end cancelled ${list(task.cancels)}`, cls: 'tip-error' });
  if (task.cancelledBy) out.push({ text: `cancelled when ${name(task.cancelledBy)} ${STATE_NAMES[task.cancelledBy.state]}`, cls: 'tip-error' });
  return out;
}

function speedLabel(speed: number): string {
  return speed === 1 ? '1×' : speed === 0.5 ? '½×' : speed === 0.25 ? '¼×' : `${speed}×`;
}

function fmt(t: number): string {
  return `${t.toFixed(Math.abs(t) < 10 ? 3 : 2)}s`;
}

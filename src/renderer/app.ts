/**
 * The renderer app: builds the page's widgets and registers its panels with
 * the session feed, which the transport (Electron preload or web mode's
 * socket) feeds. Host messages are the only input of state. A new panel is
 * its own file plus one `feed.add` line below.
 */
import type { HostMessage } from '../protocol';
import { AudioEngine } from './audio/engine';
import { Keyboard } from './keys/keyboard';
import type { Page } from './page';
import { byId } from './page';
import { AudioPanel } from './panels/audio-panel';
import { EditorPanel } from './panels/editor-panel';
import { ExplorerPanel } from './panels/explorer-panel';
import { FilesPanel } from './panels/files-panel';
import { FocusPanel } from './panels/focus-panel';
import { HelpPanel } from './panels/help-panel';
import { HistoryPanel } from './panels/history-panel';
import { InspectorPanel } from './panels/inspector-panel';
import { KeysPanel } from './panels/keys-panel';
import { LessonsPanel } from './panels/lessons-panel';
import { MidiPanel } from './panels/midi-panel';
import { OscPanel } from './panels/osc-panel';
import { PanesPanel } from './panels/panes-panel';
import { RecordPanel } from './panels/record-panel';
import { PausePanel } from './panels/pause-panel';
import { ReplayPanel } from './panels/replay-panel';
import { SpeedPanel } from './panels/speed-panel';
import { StatusPanel } from './panels/status-panel';
import { TerminalPanel } from './panels/terminal-panel';
import { ThemePanel } from './panels/theme-panel';
import { TimelinePanel } from './panels/timeline-panel';
import { SessionFeed } from './session/feed';
import { HeardClock } from './session/heard-clock';
import { loadSettings } from './settings';
import { TerminalPane } from './terminal/terminal';
import { TimelineView } from './timeline/view';
import { announcingLines, type Transport } from './transport';
import { pageSamples } from './audio/samples';

export class App {
  readonly feed = new SessionFeed();
  readonly audio: AudioEngine;
  readonly terminal: TerminalPane;
  readonly timeline: TimelineView;
  readonly clock: HeardClock;
  readonly keys: Keyboard;
  /** F6 and the panes' keys. */
  readonly panes: PanesPanel;
  private readonly terminalPanel: TerminalPanel;
  private readonly lessons: LessonsPanel;
  /** The inspector and the step buttons, while paused. */
  readonly inspector: InspectorPanel;
  /** The code editor pane (its buffers, runs and playhead). */
  readonly editor: EditorPanel;
  /** The interleaving explorer (the Orders button). */
  readonly explorer: ExplorerPanel;

  constructor(readonly transport: Transport) {
    const settings = loadSettings();
    this.audio = new AudioEngine({ lookahead: settings.lookaheadMs / 1000, volume: settings.volume, waveform: settings.waveform, outputLatency: settings.outputLatency });
    this.clock = this.feed.add(new HeardClock(this.feed, this.audio));
    this.terminal = new TerminalPane(byId('terminal'));
    this.timeline = new TimelineView(byId<HTMLCanvasElement>('timeline-canvas'), this.feed.model, () => this.clock.timelineNow());
    this.keys = new Keyboard({ desktop: transport.kind === 'electron' });
    const api = announcingLines(transport.api, () => this.audio.expectInput());
    pageSamples.connect(transport.api);
    const page: Page = { api, desktop: transport.kind === 'electron', feed: this.feed, terminal: this.terminal, audio: this.audio, timeline: this.timeline, clock: this.clock, keys: this.keys };

    // The panels, in the order they hear each message.
    this.feed.add(new AudioPanel(page, settings));
    this.feed.add(new MidiPanel(page));
    this.feed.add(new OscPanel(page));
    this.feed.add(new SpeedPanel(page));
    this.feed.add(new PausePanel(page));
    const editor = (this.editor = this.feed.add(new EditorPanel(page)));
    this.lessons = this.feed.add(new LessonsPanel(page, editor));
    this.inspector = this.feed.add(new InspectorPanel(page, editor));
    // The Help tab follows no session messages: it lists the built-in commands.
    new HelpPanel(page, editor);
    this.terminalPanel = this.feed.add(new TerminalPanel(page));
    this.feed.add(new TimelinePanel(page));
    this.feed.add(new ReplayPanel(page));
    this.feed.add(new HistoryPanel());
    this.feed.add(new FilesPanel(page));
    this.feed.add(new RecordPanel(page));
    this.feed.add(new StatusPanel(page, transport));
    this.feed.add(new KeysPanel(page));
    this.feed.add(new FocusPanel(page));
    this.panes = new PanesPanel(page, editor);
    this.feed.add(new ThemePanel(page));
    this.explorer = this.feed.add(new ExplorerPanel(page, editor));

    window.addEventListener('resize', () => this.feed.resize());
    transport.onMessage((message) => this.receive(message));
    const joined = () => {
      void transport.api.requestSnapshot();
      void this.lessons.listExamples();
    };
    transport.onStatus((status) => {
      if (status === 'open') joined();
    });
    if (transport.status === 'open') joined();
  }

  receive(message: HostMessage): void {
    this.feed.receive(message);
  }

  /** The session's record, drawn by the timeline. */
  get model() {
    return this.feed.model;
  }

  get examplesReady(): boolean {
    return this.lessons.ready;
  }

  submit(line: string): Promise<void> {
    return this.terminalPanel.submit(line);
  }

  /** Logical time as heard now (see session/heard-clock.ts). */
  logicalNow(): number {
    return this.clock.now();
  }

  /** The heard clock's own reading, before its guard against small steps back. */
  readClock(): number {
    return this.clock.read();
  }

  timelineNow(): number {
    return this.clock.timelineNow();
  }
}

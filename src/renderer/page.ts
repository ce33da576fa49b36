/**
 * What the panels share: the host's API, the session feed, the page's
 * widgets (terminal, timeline view, audio engine), the heard clock and the
 * keyboard. Panels talk to each other only through these.
 */
import type { CorotoneApi } from '../protocol';
import type { AudioEngine } from './audio/engine';
import type { Keyboard } from './keys/keyboard';
import type { SessionFeed } from './session/feed';
import type { HeardClock } from './session/heard-clock';
import type { TerminalPane } from './terminal/terminal';
import type { TimelineView } from './timeline/view';

export interface Page {
  readonly api: CorotoneApi;
  /** The desktop app (Electron), whose menu has keys of its own; else web mode. */
  readonly desktop: boolean;
  readonly feed: SessionFeed;
  /** Where the page reports what happened (notices, errors, results). */
  readonly terminal: TerminalPane;
  readonly audio: AudioEngine;
  readonly timeline: TimelineView;
  readonly clock: HeardClock;
  readonly keys: Keyboard;
}

/** The element with this id (the page's HTML is fixed, so a missing one is a bug). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

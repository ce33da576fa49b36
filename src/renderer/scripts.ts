/** Playing a script as its own source, shared by the Open button, drag and drop, and the story's edited lesson. */
import type { Page } from './page';

type ScriptPlayed = (name: string, text: string) => void;
const playedListeners = new Set<ScriptPlayed>();

/** Hear of every script played from this page (the editor opens it as a buffer). Returns an unsubscribe function. */
export function onScriptPlayed(listener: ScriptPlayed): () => void {
  playedListeners.add(listener);
  return () => playedListeners.delete(listener);
}

/**
 * Play a script as its own source. It is parsed here first, with the
 * engine's own parser and the session's phrases: a script with errors shows
 * them, located, and does not play at all.
 */
export async function playScript(page: Page, name: string, text: string): Promise<void> {
  const { terminal } = page;
  terminal.setSourceText(name, text);
  // With the session's phrases: a script may use what the terminal defined.
  const problems = terminal.phrases.check(text, name);
  if (problems.length > 0) {
    for (const d of problems) terminal.diagnostic(d);
    terminal.notice(`${name}: not played, ${problems.length} error${problems.length === 1 ? '' : 's'} to fix first`, true);
    return;
  }
  const reply = await page.api.loadScript({ name, text });
  if (!reply.ok) {
    for (const d of reply.error.diagnostics ?? []) terminal.diagnostic(d);
    terminal.notice(`${name}: ${reply.error.message}`, true);
    return;
  }
  // The host reports any diagnostics as events too; they are printed from there.
  const { source, started } = reply.value;
  if (source !== name) terminal.setSourceText(source, text);
  // The session read the whole script, defs and all: its phrases complete from now on.
  if (started) terminal.phrases.learnScript(text, source);
  if (started) for (const listener of playedListeners) listener(source, text);
  if (!started) terminal.notice(`${name}: not played`, true);
}

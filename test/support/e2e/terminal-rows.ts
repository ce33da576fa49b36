import type { Page } from 'playwright-core';

/** A row of the page's terminal (xterm's buffer): its text, and whether xterm wrapped it onto the row before it. */
export interface TerminalRow {
  text: string;
  wrapped: boolean;
}

/** Every row of the terminal's buffer, scrollback included. */
export function terminalRows(page: Page): Promise<TerminalRow[]> {
  return page.evaluate(() => {
    const buffer = (globalThis as any).__corotone.terminal.term.buffer.active;
    const out: { text: string; wrapped: boolean }[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const row = buffer.getLine(i);
      out.push({ text: row.translateToString(true), wrapped: row.isWrapped });
    }
    return out;
  });
}

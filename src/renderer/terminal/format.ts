/**
 * Text laid out for the terminal's width (in columns), so that xterm never
 * has to wrap a line itself: its wrapping breaks words wherever the edge
 * falls, and a wrapped source line leaves its caret under the wrong column.
 * Pure (no DOM), so every width is tested in Node.
 *
 * `help` is formatted from the engine's own text (the session sends it as
 * output; the CLI prints the same text unchanged): the rows are read back
 * with the built-in commands' usages, so a usage with spaces in it
 * (`spawn CMD   (or: CMD &)`) stays whole.
 */
import { builtinCommands, HELP_LEGEND } from '../../core/commands';
import type { Diagnostic } from '../../core/session/api';
import { escapeControl } from '../../core/text';

/** Columns a summary needs beside its usage before the two are stacked instead. */
const MIN_SUMMARY_COLUMNS = 24;
/** Never lay out narrower than this (a pane that small shows little anyway). */
const MIN_WIDTH = 12;

/**
 * Break `text` at spaces into lines of at most `width` columns; lines after
 * the first start with `indent`, and the first has `firstWidth` columns (the
 * rest of a line that already holds something). A word longer than a whole
 * line is the only thing ever cut. Control characters (user text can hold
 * ESC) are shown as `\xNN`, never sent to the terminal as they are.
 */
export function wrapWords(text: string, width: number, indent = '', firstWidth = width): string[] {
  text = escapeControl(text, { singleLine: true });
  if (text.length <= firstWidth) return [text];
  const full = Math.max(1, width - indent.length);
  const lines: string[] = [];
  /** The line being filled, without its indent. */
  let line = '';
  let room = Math.max(1, firstWidth);
  const next = () => {
    lines.push(lines.length === 0 ? line : indent + line);
    line = '';
    room = full;
  };
  for (let word of text.split(' ').filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > room) next();
    // The first line may be short (it follows something): rather than cut a word there, begin below.
    if (line === '' && lines.length === 0 && word.length > room && word.length <= full) next();
    // A word wider than a whole line: the only case where a word is cut.
    while (line === '' && word.length > room) {
      line = word.slice(0, room);
      word = word.slice(room);
      next();
    }
    line += (line === '' ? '' : ' ') + word;
  }
  if (line !== '' || lines.length === 0) next();
  return lines;
}

// ---- help -------------------------------------------------------------------


/** Usages of the built-in commands, longest first (a row starts with one of them). */
const USAGES = builtinCommands.commands.map((c) => c.usage).sort((a, b) => b.length - a.length);

const LEGEND_LINES = new Set(HELP_LEGEND.split('\n'));

/** Whether an output is the text of `help`: the list (it ends with the legend), or one command (a usage row, ending with lines of the legend). */
export function isHelpText(text: string): boolean {
  if (text.endsWith(`\n${HELP_LEGEND}`)) return true;
  const lines = text.split('\n');
  return lines.length > 1 && LEGEND_LINES.has(lines[lines.length - 1]) && readRow(lines[0]) !== null && USAGES.some((u) => lines[0].startsWith(`${u}  `));
}

interface HelpRow {
  indent: number;
  usage: string;
  summary: string;
}

/** One row of help: a built-in's usage then its summary, or a phrase's name then its definition. */
function readRow(line: string): HelpRow | null {
  const body = line.trimStart();
  const indent = line.length - body.length;
  const usage = USAGES.find((u) => body.startsWith(`${u}  `)) ?? /^(\S+)\s{2,}/.exec(body)?.[1];
  if (usage === undefined) return null;
  return { indent, usage, summary: body.slice(usage.length).trimStart() };
}

/**
 * The text of `help` laid out for `width` columns: unchanged if it fits;
 * else usage and summary side by side with the summary wrapped in its
 * column, or, too narrow for that, each usage on its own line with its
 * summary indented beneath. Lines break only between words.
 */
export function formatHelp(text: string, width: number): string {
  const lines = text.split('\n');
  width = Math.max(MIN_WIDTH, Math.floor(width));
  if (lines.every((l) => l.length <= width)) return text;
  // the legend's lines that end it (one command's help has some of them)
  let start = lines.length;
  while (start > 1 && LEGEND_LINES.has(lines[start - 1])) start--;
  const legend = lines.slice(start);
  const body = lines.slice(0, start);
  const rows = body.map(readRow);
  const usageWidth = Math.max(0, ...rows.map((r) => (r ? r.indent + r.usage.length : 0)));
  const sideBySide = usageWidth + 2 + MIN_SUMMARY_COLUMNS <= width;
  const out: string[] = [];
  body.forEach((line, i) => {
    const row = rows[i];
    if (row === null) {
      out.push(...wrapWords(line, width, '  '));
      return;
    }
    const pad = ' '.repeat(row.indent);
    if (sideBySide) {
      const column = ' '.repeat(usageWidth + 2);
      const first = `${pad}${row.usage}`.padEnd(usageWidth + 2);
      const summary = wrapWords(row.summary, width, column, width - column.length);
      out.push(first + summary[0], ...summary.slice(1));
    } else {
      out.push(...wrapWords(row.usage, width, `${pad}  `, width - pad.length).map((l, j) => (j === 0 ? pad + l : l)));
      out.push(...wrapWords(row.summary, width, `${pad}    `, width - pad.length - 4).map((l, j) => (j === 0 ? `${pad}    ${l}` : l)));
    }
  });
  for (const line of legend) out.push(...wrapWords(line, width, '  '));
  return out.join('\n');
}

// ---- located errors ---------------------------------------------------------

const C = {
  reset: '\x1b[0m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  boldRed: '\x1b[1;31m',
  cyan: '\x1b[36m',
  grey: '\x1b[90m',
};

/**
 * What part of a source line fits in `room` columns with the columns
 * [from, to) (0-based) in view: the whole line if it fits, else a window
 * around them with `…` where the line goes on. `offset` is the window's first
 * column, so a caret goes at `from - offset`.
 */
export function sourceWindow(text: string, from: number, to: number, room: number): { text: string; offset: number; caretWidth: number } {
  room = Math.max(5, room);
  const caretWidth = Math.max(1, Math.min(to - from, room - 2));
  if (text.length <= room) return { text, offset: 0, caretWidth };
  const margin = Math.floor((room - caretWidth) / 2);
  const offset = Math.max(0, Math.min(from - margin, text.length - room + 1));
  let shown = text.slice(offset, offset + room);
  if (offset > 0) shown = `…${shown.slice(1)}`;
  if (offset + room < text.length) shown = `${shown.slice(0, -1)}…`;
  return { text: shown, offset, caretWidth };
}

/**
 * A located error for `width` columns: `source:line:col: error: message`
 * (the message wrapped between words), found / expected, the source line
 * with a caret under the column (never wrapped: a long line shows the part
 * around the column, cut with `…`), and the hint.
 */
export function formatDiagnostic(d: Diagnostic, sourceLine: string | undefined, width: number, label = 'error'): string[] {
  width = Math.max(MIN_WIDTH, Math.floor(width));
  const lines: string[] = [];
  const head = `${escapeControl(d.source, { singleLine: true })}:${d.line}:${d.col}: ${label}:`;
  const message = wrapWords(d.message, width, '    ', width - head.length - 1);
  lines.push(`${C.boldRed}${head}${C.reset}${C.red} ${message[0]}${C.reset}`, ...message.slice(1).map((l) => `${C.red}${l}${C.reset}`));
  const field = (name: string, value: string) => {
    const wrapped = wrapWords(value, width, '    ', width - name.length - 4);
    lines.push(`  ${C.grey}${name}:${C.reset} ${wrapped[0]}`, ...wrapped.slice(1));
  };
  if (d.found !== undefined && !d.message.includes(d.found)) field('found', d.found);
  if (d.expected !== undefined && !d.message.includes(d.expected)) field('expected', d.expected);
  if (sourceLine !== undefined && d.col >= 1) {
    // Shown as is where it has no controls, so the caret stays under its column.
    sourceLine = escapeControl(sourceLine, { singleLine: true });
    const gutter = ' '.repeat(String(d.line).length);
    const from = d.col - 1;
    const to = Math.max(from + 1, (d.endCol ?? d.col + 1) - 1);
    const shown = sourceWindow(sourceLine, from, to, width - gutter.length - 5);
    lines.push(`  ${C.dim}${d.line} |${C.reset} ${shown.text}`);
    lines.push(`  ${gutter} ${C.dim}|${C.reset} ${' '.repeat(from - shown.offset)}${C.boldRed}${'^'.repeat(shown.caretWidth)}${C.reset}`);
  }
  if (d.hint) {
    const hint = wrapWords(d.hint, width, '    ', width - 8);
    lines.push(`  ${C.cyan}hint:${C.reset} ${hint[0]}`, ...hint.slice(1));
  }
  return lines;
}

/** Text without its colours, as it shows on screen. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

import type { LineItem } from '../lines/line';
import { textLines } from '../lines/text';
import type { SourcePosition } from '../scheduler/events';
import { ArgReader } from './args';
import { INVALID, type CommandTable, type Invocation, type ParseContext } from './command';
import { quote, type Diagnostic } from './diagnostics';
import { SEPARATORS, tokenize, type Token } from './tokens';

/**
 * A line of a source, parsed. Blank lines and comments are `empty`; a line
 * with problems is `error` with all of them; nothing here has run.
 */
export type ParsedLine =
  | { kind: 'empty'; line: number }
  | { kind: 'command'; line: number; text: string; pos: SourcePosition; invocation: Invocation }
  | { kind: 'error'; line: number; text: string; pos: SourcePosition; diagnostics: Diagnostic[] };

export interface ParsedScript {
  lines: ParsedLine[];
  /** Every problem in the script, in line order. */
  diagnostics: Diagnostic[];
}

/**
 * How deep commands may sit inside one another (`spawn spawn ... beep`,
 * `beep 60 & & & ...`): the parser recurses once per level, so a line of
 * any length gets a located error instead of overflowing the stack.
 */
export const MAX_NESTING = 100;

/** Parse one line of text (without its newline) against the commands of `table`. Never throws. */
export function parseLine(text: string, source: string, line: number, table: CommandTable): ParsedLine {
  const tokens = tokenize(text);
  if (tokens.length === 0) return { kind: 'empty', line };
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  const pos: SourcePosition = { source, line, col: first.col };
  const lineText = text.slice(first.col - 1, last.endCol - 1);
  const diagnostics: Diagnostic[] = [];
  let depth = 0;
  const nested = (words: Token[]): Invocation | null => {
    if (depth >= MAX_NESTING) {
      // The command word, or for `CMD &` (whose spawn word is not written) the `&`.
      const head = words[0] ?? last;
      const at = head.col === head.endCol ? (words[words.length - 1] ?? last) : head;
      diagnostics.push({
        source,
        line,
        col: at.col,
        endCol: at.endCol,
        message: `too deeply nested: more than ${MAX_NESTING} commands inside one another`,
        found: at.text,
        expected: `at most ${MAX_NESTING} levels of commands that take commands (spawn, repeat, &, ...)`,
      });
      return null;
    }
    depth++;
    try {
      return parseCommand(words, text, source, line, table, diagnostics, ctx);
    } finally {
      depth--;
    }
  };
  const ctx: ParseContext = { source, line, text, table, parseCommand: nested };
  const invocation = nested(topLevel(tokens, table));
  if (invocation === null || diagnostics.length > 0) {
    return { kind: 'error', line, text: lineText, pos, diagnostics };
  }
  return { kind: 'command', line, text: lineText, pos, invocation };
}

/**
 * A line is read as `eval` reads its words (as the demo reads every line): a
 * `;` at the top level of a line whose command does not take commands makes
 * a sequence, so `beep C5 0.2; beep E5 0.2` plays one note, then the other.
 */
function topLevel(tokens: Token[], table: CommandTable): Token[] {
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (last.text === '&' || !tokens.some((t) => t.text === ';')) return tokens;
  const spec = table.get(first.text);
  const evalSpec = table.get('eval');
  if (spec === undefined || spec.sequence === true || evalSpec === undefined || evalSpec.sequence !== true) return tokens;
  return [{ text: evalSpec.name, col: first.col, endCol: first.col }, ...tokens];
}

/** A line as the line reader delivered it: text to parse, or an error it already found. */
export function parseLineItem(item: LineItem, source: string, table: CommandTable): ParsedLine {
  if (item.kind === 'line') return parseLine(item.text, source, item.line, table);
  const d = item.diagnostic;
  return { kind: 'error', line: item.line, text: item.preview, pos: { source, line: d.line, col: d.col }, diagnostics: [d] };
}

/**
 * Parse a whole script without running anything: every line, every problem
 * (`corotone --check`). Phrases it defines go into `table` (pass a fork to keep them out of yours).
 */
export function parseScript(text: string, source: string, table: CommandTable): ParsedScript {
  const lines: ParsedLine[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const item of textLines(source, text)) {
    const parsed = parseLineItem(item, source, table);
    lines.push(parsed);
    if (parsed.kind === 'error') diagnostics.push(...parsed.diagnostics);
  }
  return { lines, diagnostics };
}

function parseCommand(
  tokens: Token[],
  text: string,
  source: string,
  line: number,
  table: CommandTable,
  diagnostics: Diagnostic[],
  ctx: ParseContext,
): Invocation | null {
  const at = (token: Token, d: Omit<Diagnostic, 'source' | 'line' | 'col' | 'endCol'>): null => {
    diagnostics.push({ source, line, col: token.col, endCol: token.endCol, ...d });
    return null;
  };
  const first = tokens[0];
  if (first === undefined) return null;
  if (SEPARATORS.includes(first.text)) {
    return at(first, { message: `expected a command, found ${quote(first.text)}`, found: first.text, expected: 'a command' });
  }
  const last = tokens[tokens.length - 1];
  if (last.text === '&') return parseBackground(tokens, text, source, line, table, diagnostics, ctx);
  const spec = table.get(first.text);
  if (spec === undefined) {
    const suggestion = table.suggest(first.text);
    // The hint names the likely command or help; the whole list here was a screenful of red.
    return at(first, {
      message: `unknown command ${quote(first.text)}`,
      found: first.text,
      expected: 'a command',
      hint: suggestion !== undefined ? `did you mean "${suggestion}"?` : 'type "help" for the list of commands',
    });
  }
  const args = tokens.slice(1);
  if (spec.sequence !== true) {
    // Only commands that take commands (eval, gather, spawn ...) read separators.
    const separator = args.find((t) => SEPARATORS.includes(t.text));
    if (separator !== undefined) {
      const written = text.slice(first.col - 1, tokens[tokens.length - 1].endCol - 1);
      return at(separator, {
        message: `unexpected ${quote(separator.text)}: expected the arguments of ${spec.name} only`,
        found: separator.text,
        expected: `usage: ${spec.usage}`,
        hint: SEPARATOR_HINTS[separator.text](written),
      });
    }
  }
  const before = diagnostics.length;
  const reader = new ArgReader(args, source, line, first, spec.usage);
  let parsed: unknown;
  try {
    parsed = spec.parse(reader, ctx);
  } catch (error) {
    // A command's parser is not supposed to throw; if one does, the line gets the blame, not the program.
    return at(first, { message: `internal error reading the arguments of ${spec.name}: ${String(error)}` });
  }
  diagnostics.push(...reader.diagnostics);
  if (diagnostics.length > before) return null;
  if (parsed === INVALID) return at(first, { message: `internal error reading the arguments of ${spec.name}: refused without saying why` });
  return {
    spec,
    args: parsed,
    text: text.slice(first.col - 1, last.endCol - 1),
    pos: { source, line, col: first.col },
    endCol: last.endCol,
  };
}

const SEPARATOR_HINTS: Record<string, (written: string) => string> = {
  ';': (written) => `to run several commands on one line, write "eval ${written}"`,
  '|': (written) => `to run commands together, write "gather ${written}" (or group, settle, race)`,
  '&': () => 'a "&" goes at the end of a command, to run it in the background',
};

/**
 * `CMD &`: the command before the `&` runs in a task of its own, as `spawn CMD`
 * does. The `&` takes everything before it in the words being parsed: the whole
 * line, or one `;`- or `|`-separated part of a command that takes commands.
 */
function parseBackground(
  tokens: Token[],
  text: string,
  source: string,
  line: number,
  table: CommandTable,
  diagnostics: Diagnostic[],
  ctx: ParseContext,
): Invocation | null {
  const first = tokens[0];
  const amp = tokens[tokens.length - 1];
  const spawn = table.get('spawn');
  if (spawn === undefined || tokens.length === 1) {
    diagnostics.push({
      source,
      line,
      col: amp.col,
      endCol: amp.endCol,
      message: tokens.length === 1 ? 'expected a command before "&"' : 'unexpected "&": this session has no spawn command',
      found: '&',
      expected: 'a command',
    });
    return null;
  }
  const body = tokens.slice(0, -1);
  const spawnWord: Token = { text: spawn.name, col: first.col, endCol: first.col };
  const invocation = ctx.parseCommand([spawnWord, ...body]);
  if (invocation === null) return null;
  return { ...invocation, text: text.slice(first.col - 1, amp.endCol - 1), endCol: amp.endCol };
}

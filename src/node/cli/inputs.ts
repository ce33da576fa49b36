import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { Readable } from 'node:stream';
import { builtinCommands } from '../../core/commands';
import { parseLineItem } from '../../core/language/parser';
import type { CommandTable } from '../../core/language/command';
import { LineSplitter } from '../../core/lines/splitter';
import type { Diagnostic, SessionControl } from '../../core/session/api';
import { FileReadError, readScriptFile, readStreamCapped, WAV_NOT_A_SCRIPT } from '../files/read-script';

export const STDIN_NAME = '<stdin>';

export interface ScriptFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Reads each named script ("-" is standard input, read to its end), each at
 * most MAX_SCRIPT_BYTES and only from a regular file. Throws FileReadError.
 */
export async function readScripts(names: string[], stdin: Readable): Promise<ScriptFile[]> {
  const files: ScriptFile[] = [];
  for (const name of names) {
    if (name === '-') files.push({ name: STDIN_NAME, bytes: await readStreamCapped(stdin, 'standard input') });
    else files.push({ name, bytes: await readScriptFile(name).catch((error: unknown) => Promise.reject(withCliHint(error, name))) });
  }
  return files;
}

/** `corotone song.txt out.wav` meant `--wav out.wav`: say so. */
function withCliHint(error: unknown, name: string): unknown {
  if (!(error instanceof FileReadError) || error.reason !== WAV_NOT_A_SCRIPT) return error;
  return new FileReadError(name, `${WAV_NOT_A_SCRIPT} (to render into it, write --wav ${name})`);
}

/**
 * Hands each error in a script's bytes to `visit`, without running anything
 * (`--check`); `visit` returns 'stop' to end there. None is kept: a file of
 * half a million bad lines is checked in the memory of one.
 */
export function forEachError(file: ScriptFile, visit: (d: Diagnostic) => 'stop' | void, table = builtinCommands.fork()): void {
  const splitter = new LineSplitter(file.name);
  // The script's own table (by default): a phrase it defines with `def` is known to the lines after it.
  for (const item of [...splitter.push(file.bytes), ...splitter.end()]) {
    const parsed = parseLineItem(item, file.name, table);
    if (parsed.kind !== 'error') continue;
    for (const d of parsed.diagnostics) if (visit(d) === 'stop') return;
  }
}

/** Every error in a script's bytes (for a test or a tool; the CLI prints them as they come). */
export function checkBytes(file: ScriptFile): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  forEachError(file, (d) => void diagnostics.push(d));
  return diagnostics;
}

/**
 * The script up to the end of its first bad line (`--strict`): the session
 * then reports that one error and runs none of it, as it would for the whole
 * file, without parsing (and holding the errors of) the rest. `table` is the
 * source's own, as the session gives it: its phrases, and a phrase of a script
 * before it as `SOURCE/NAME`.
 */
export function untilFirstError(file: ScriptFile, table?: CommandTable): ScriptFile {
  let line: number | null = null;
  forEachError(
    file,
    (d) => {
      line = d.line;
      return 'stop';
    },
    table,
  );
  return line === null ? file : { name: file.name, bytes: file.bytes.subarray(0, endOfLine(file.bytes, line)) };
}

/** The offset just past line `line`'s end (LF, CRLF or a lone CR, as the line splitter counts them). */
function endOfLine(bytes: Uint8Array, line: number): number {
  let lineNo = 1;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x0a && b !== 0x0d) continue;
    const end = b === 0x0d && bytes[i + 1] === 0x0a ? i + 2 : i + 1;
    if (lineNo === line) return end;
    lineNo++;
    i = end - 1;
  }
  return bytes.length;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Hands a whole script to the session. Valid UTF-8 goes in as text, so every
 * parse error is reported before the script plays; otherwise the bytes go
 * through the line reader, which reports each undecodable line where it is.
 */
export function loadScript(session: SessionControl, file: ScriptFile): void {
  let text: string | null = null;
  try {
    text = strictUtf8.decode(file.bytes);
  } catch {
    text = null;
  }
  if (text !== null) {
    session.loadScript(file.name, text);
    return;
  }
  const source = session.openSource(file.name);
  source.pushBytes(file.bytes);
  source.end();
}

/**
 * Feeds standard input to a session line by line as it arrives (live play).
 * `afterInput` runs after each arrival is queued (the CLI starts its clock at
 * the first, so that line is at logical time 0).
 */
export function streamStdin(
  session: SessionControl,
  stdin: Readable & { isTTY?: boolean },
  prompt: NodeJS.WritableStream,
  afterInput: () => void = () => {},
): ((text: string) => void) | null {
  const opened = session.openSource(STDIN_NAME);
  const source = {
    pushLine: (line: string) => (opened.pushLine(line), afterInput()),
    pushBytes: (bytes: Uint8Array) => (opened.pushBytes(bytes), afterInput()),
    end: () => (opened.end(), afterInput()),
  };
  if (stdin.isTTY) {
    // Interactive: line editing and history from readline, the prompt on stderr as in the demo.
    const rl = createInterface({ input: stdin, output: prompt, prompt: '> ', terminal: true });
    rl.prompt();
    rl.on('line', (line) => {
      source.pushLine(line);
      if (!session.ended) rl.prompt();
    });
    rl.on('close', () => source.end());
    rl.on('SIGINT', () => {
      // Ctrl+C cancels the running line (and those queued behind it) and keeps
      // reading; when nothing is running it ends input, as a shell does.
      if (!session.interruptSource(STDIN_NAME)) rl.close();
    });
    let open = true;
    rl.on('close', () => (open = false));
    // Output while the user types goes above the prompt, which is redrawn with what was typed.
    return (text: string) => {
      if (!open) {
        prompt.write(text);
        return;
      }
      clearLine(prompt, 0);
      cursorTo(prompt, 0);
      prompt.write(text);
      if (!session.ended) rl.prompt(true);
    };
  }
  stdin.on('data', (chunk: Buffer | string) => source.pushBytes(typeof chunk === 'string' ? Buffer.from(chunk) : new Uint8Array(chunk)));
  stdin.on('end', () => source.end());
  stdin.on('error', () => source.end());
  return null;
}

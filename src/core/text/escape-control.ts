/**
 * User text shown on a terminal, made inert: a script's output, an error's
 * message, a file name can hold ESC and other control characters, and a
 * terminal obeys them (`spawn fail \e[2Jx` cleared the screen). Every C0
 * control, DEL and every C1 control is shown as a visible `\xNN` escape
 * instead; tabs, and newlines unless `singleLine`, are kept. A backslash is
 * left as it is: the result is for eyes, not for parsing back.
 */

// C0 (U+0000–U+001F) but tab and newline, DEL (U+007F), C1 (U+0080–U+009F).
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS_AND_NEWLINE = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

export interface EscapeControlOptions {
  /** Show newlines as `\x0a` too (a name, or anything printed on one line). */
  singleLine?: boolean;
}

export function escapeControl(text: string, options: EscapeControlOptions = {}): string {
  const pattern = options.singleLine ? CONTROLS_AND_NEWLINE : CONTROLS;
  return text.replace(pattern, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

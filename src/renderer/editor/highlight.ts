/**
 * The note language's colours in the editor: a StreamLanguage driven by
 * core's own tokenizer, so a word is coloured as the parser reads it. Each
 * word is a command (a known name, or a phrase being defined), a note, a
 * number or duration, a separator (`;`, `|`, `&`) or a comment; the colours
 * are classes (editor.css), so a theme restyles them.
 */
import { HighlightStyle, StreamLanguage, syntaxHighlighting, type StringStream } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { tags } from '@lezer/highlight';
import { tokenize, type Token } from '../../core/language/tokens';

/** What a word of a line is, as the editor colours it. */
export type WordKind = 'command' | 'definition' | 'note' | 'number' | 'separator' | 'comment' | 'word';

const NOTE = /^[A-Ga-g](#|b|s)?-?\d{1,2}$/;
// seconds, beats and the like: 2, 0.5, .25, 1/4, 120ms, 2b
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(\/\d+)?([a-z]{1,3})?$/i;

/** The kinds of the words of a line, in order, with their columns; a comment is the last. */
export function classifyLine(text: string, isCommand: (word: string) => boolean): { token: Token; kind: WordKind }[] {
  const tokens = tokenize(text);
  const out: { token: Token; kind: WordKind }[] = [];
  let previous: string | null = null;
  for (const token of tokens) {
    out.push({ token, kind: kindOf(token.text, previous, isCommand) });
    previous = token.text;
  }
  const end = tokens.length > 0 ? tokens[tokens.length - 1].endCol - 1 : 0;
  const hash = text.indexOf('#', end);
  if (hash >= 0 && text.slice(end, hash).trim() === '') out.push({ token: { text: text.slice(hash), col: hash + 1, endCol: text.length + 1 }, kind: 'comment' });
  return out;
}

function kindOf(word: string, previous: string | null, isCommand: (word: string) => boolean): WordKind {
  if (word === ';' || word === '|' || word === '&') return 'separator';
  if (previous !== null && previous.toLowerCase() === 'def') return 'definition';
  if (NOTE.test(word)) return 'note';
  if (NUMBER.test(word)) return 'number';
  if (isCommand(word)) return 'command';
  return 'word';
}

interface LineState {
  /** The current line's words, from its first (null before a line is read). */
  words: { token: Token; kind: WordKind }[] | null;
  next: number;
}

/** The language, colouring as commands the names `isCommand` knows (the built-ins and the session's phrases). */
export function noteLanguage(isCommand: (word: string) => boolean): StreamLanguage<LineState> {
  return StreamLanguage.define<LineState>({
    name: 'corotone',
    startState: () => ({ words: null, next: 0 }),
    copyState: (s) => ({ words: s.words, next: s.next }),
    token(stream: StringStream, state: LineState): string | null {
      if (stream.sol()) {
        state.words = classifyLine(stream.string, isCommand);
        state.next = 0;
      }
      const words = state.words ?? [];
      while (state.next < words.length && words[state.next].token.endCol - 1 <= stream.pos) state.next++;
      const word = words[state.next];
      if (word === undefined) {
        stream.skipToEnd();
        return null;
      }
      const start = word.token.col - 1;
      if (stream.pos < start) {
        stream.pos = start;
        return null;
      }
      stream.pos = word.token.endCol - 1;
      state.next++;
      return word.kind === 'word' ? null : word.kind;
    },
    tokenTable: {
      command: tags.keyword,
      definition: tags.definition(tags.variableName),
      note: tags.atom,
      number: tags.number,
      separator: tags.operator,
      comment: tags.lineComment,
    },
    languageData: { commentTokens: { line: '#' } },
  });
}

const style = HighlightStyle.define([
  { tag: tags.keyword, class: 'ct-command' },
  { tag: tags.definition(tags.variableName), class: 'ct-definition' },
  { tag: tags.atom, class: 'ct-note' },
  { tag: tags.number, class: 'ct-number' },
  { tag: tags.operator, class: 'ct-separator' },
  { tag: tags.lineComment, class: 'ct-comment' },
]);

export function noteHighlighting(isCommand: (word: string) => boolean): Extension {
  return [noteLanguage(isCommand), syntaxHighlighting(style)];
}

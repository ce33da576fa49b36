import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { builtinCommands, helpText } from '../../../src/core/commands';
import { parseLine } from '../../../src/core/language/parser';
import { formatDiagnostic, formatHelp, isHelpText, plain, sourceWindow, wrapWords } from '../../../src/renderer/terminal/format';

/** The help a session with two phrases prints (the engine's own text, as the CLI shows it). */
function sessionHelp(): string {
  const table = builtinCommands.fork();
  parseLine('def riff beep 60 0.1; beep 64 0.1', 'terminal', 1, table);
  parseLine('def bass-line-with-a-long-name chord 0.5 36 43; wait 0.5; chord 0.5 38 45', 'terminal', 2, table);
  return helpText(table);
}
const words = (text: string) => text.split(/\s+/).filter((w) => w !== '');
const longestWord = (text: string) => Math.max(...words(text).map((w) => w.length));

describe('help laid out for the terminal', () => {
  const help = sessionHelp();
  const widest = Math.max(...help.split('\n').map((l) => l.length));

  it('knows help when it sees it, and nothing else', () => {
    expect(isHelpText(help)).toBe(true);
    expect(isHelpText(helpText(builtinCommands, 'chord'))).toBe(true);
    expect(isHelpText('commands:\n  add N  press a key')).toBe(false);
    expect(isHelpText('[t1] chord 1 60')).toBe(false);
  });

  it('leaves the engine’s table as it is where it fits', () => {
    expect(formatHelp(help, widest)).toBe(help);
    expect(formatHelp(help, 200)).toBe(help);
  });

  for (const width of [30, 36, 44, 60, 80]) {
    it(`at ${width} columns: no line too long, no word broken, every command and phrase there`, () => {
      expect(width).toBeLessThan(widest);
      expect(width).toBeGreaterThanOrEqual(longestWord(help) + 4);
      const out = formatHelp(help, width);
      const lines = out.split('\n');
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width);
      // the same words in the same order: none cut in two, none lost
      expect(words(out)).toEqual(words(help));
      // each command's usage starts a line of its own (whole, or its first word where the usage itself wraps)
      const starts = lines.map((l) => l.trimStart());
      for (const spec of [...builtinCommands.commands, { usage: 'riff' }, { usage: 'bass-line-with-a-long-name' }]) {
        expect(starts.some((l) => l.startsWith(spec.usage) || (l.startsWith(spec.usage.split(' ')[0]) && spec.usage.length > width - 2)), spec.usage).toBe(true);
      }
    });
  }

  it('narrow: the usage on its own line, its summary indented beneath', () => {
    const lines = formatHelp(help, 32).split('\n');
    const i = lines.findIndex((l) => l.trim() === 'chord S N1 N2 ...');
    expect(i).toBeGreaterThan(0);
    const summary = builtinCommands.get('chord')!.summary;
    expect(lines[i + 1].startsWith(' '.repeat(lines[i].indexOf('c') + 2))).toBe(true);
    expect(summary.startsWith(lines[i + 1].trim())).toBe(true);
  });

  it('middling: the summaries wrap in their own column beside the usages', () => {
    const lines = formatHelp(help, 80).split('\n');
    const row = lines.findIndex((l) => l.startsWith('  chord S N1 N2 ...'));
    const column = lines[row].indexOf(builtinCommands.get('chord')!.summary.split(' ')[0], 20);
    expect(column).toBeGreaterThan('  chord S N1 N2 ...'.length);
    // a wrapped summary goes on in that column
    const wrapped = lines.findIndex((l, i) => i > 0 && /^ {10,}\S/.test(l) && !lines[i - 1].endsWith(':'));
    expect(wrapped).toBeGreaterThan(0);
    expect(lines[wrapped].length - lines[wrapped].trimStart().length).toBe(column);
  });

  it('one command’s help too', () => {
    const one = helpText(builtinCommands, 'spawn');
    const out = formatHelp(one, 30);
    expect(words(out)).toEqual(words(one));
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(30);
  });
});

describe('wrapping between words', () => {
  it('never breaks a word that fits a line, and loses nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,10}$/), { maxLength: 40 }), fc.integer({ min: 12, max: 60 }), (ws, width) => {
        const text = ws.join(' ');
        const lines = wrapWords(text, width, '  ');
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
        expect(words(lines.join(' '))).toEqual(ws);
      }),
    );
  });

  it('cuts only a word wider than a whole line', () => {
    expect(wrapWords('see https://example.org/a/very/long/address here', 16)).toEqual(['see', 'https://example.', 'org/a/very/long/', 'address here']);
  });
});

describe('a located error in a narrow terminal', () => {
  const source = 'chord 0.5 60 64 67 71 74 77 81 84 88 91 95 98 wat 102 105 108 111 114 117 120';
  const col = source.indexOf('wat') + 1;
  const d = {
    source: 'terminal', line: 12, col, endCol: col + 3,
    message: 'expected a note (0..127 or a name like C5) but found "wat", which is neither a number nor a note name',
    found: 'wat', hint: 'notes are numbers 0..127 or names like C5, F#3, Eb4; type "help chord" for the usage',
  };

  for (const width of [30, 48, 72, 200]) {
    it(`at ${width} columns the caret is under the column, and no line wraps`, () => {
      const lines = formatDiagnostic(d, source, width).map(plain);
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width);
      const src = lines.findIndex((l) => l.startsWith('  12 | '));
      const caret = lines[src + 1];
      const at = caret.indexOf('^');
      expect(lines[src].slice(at, at + 3)).toBe('wat');
      expect(caret.slice(at)).toBe('^^^');
      // the message and hint are cut between words only
      expect(words(lines.slice(0, src).join(' '))).toEqual(words(`terminal:12:${col}: error: ${d.message}`));
      expect(words(lines.slice(src + 2).join(' '))).toEqual(words(`hint: ${d.hint}`));
    });
  }

  it('shows a long line whole where it fits, and cut with … around the column where not', () => {
    expect(sourceWindow(source, col - 1, col + 2, 200)).toEqual({ text: source, offset: 0, caretWidth: 3 });
    const cut = sourceWindow(source, col - 1, col + 2, 30);
    expect(cut.text).toHaveLength(30);
    expect(cut.text.startsWith('…')).toBe(true);
    expect(cut.text.endsWith('…')).toBe(true);
    expect(cut.text.slice(col - 1 - cut.offset, col + 2 - cut.offset)).toBe('wat');
    // an error at the start: nothing cut before it
    expect(sourceWindow(source, 0, 5, 30).text).toMatch(/^chord .*…$/);
    // and at the end: nothing cut after it
    expect(sourceWindow(source, source.length - 3, source.length, 30).text).toMatch(/^….* 120$/);
  });
});

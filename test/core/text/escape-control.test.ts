import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControl } from '../../../src/core/text';

describe('control characters in user text', () => {
  it('are shown as visible escapes: ESC, the other C0 controls, DEL and C1', () => {
    expect(escapeControl('fail \x1b[2Jx')).toBe('fail \\x1b[2Jx');
    expect(escapeControl('a\x00b\x07c\rd\x7fe\x9bf')).toBe('a\\x00b\\x07c\\x0dd\\x7fe\\x9bf');
  });

  it('keep tabs and newlines, and all other text, as they are', () => {
    expect(escapeControl('two\tcolumns\nnext line: é ♪ \\e')).toBe('two\tcolumns\nnext line: é ♪ \\e');
  });

  it('show a newline too where text must stay on one line', () => {
    expect(escapeControl('name\nwith\x1bnewline', { singleLine: true })).toBe('name\\x0awith\\x1bnewline');
  });

  it('never leave a control character a terminal would obey', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        // eslint-disable-next-line no-control-regex
        expect(escapeControl(text)).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      }),
    );
  });
});

/** What the page's terminal prints of user text holds no control sequence the terminal would obey. */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, wrapWords } from '../../../src/renderer/terminal/format';

// Our own colours are CSI … m; anything else with ESC (or another control) came from the user.
// eslint-disable-next-line no-control-regex
const foreignControl = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').match(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);

describe('the terminal formatter', () => {
  it('shows the escape sequences in an error message, its source line and its name as text', () => {
    const d = { source: 'tune\x1b]0;title\x07.txt', line: 1, col: 6, message: 'fail \x1b[2Jx', hint: 'clear\x1bc' };
    const lines = formatDiagnostic(d, 'fail \x1b[2Jx', 80);
    expect(foreignControl(lines.join('\n'))).toBeNull();
    expect(lines.join('\n')).toContain('fail \\x1b[2Jx');
  });

  it('shows them in the app’s messages too (they quote names and replies)', () => {
    expect(wrapWords('cannot open tune\x1b[2J.txt', 80)).toEqual(['cannot open tune\\x1b[2J.txt']);
  });
});

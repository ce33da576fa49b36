import { describe, expect, it } from 'vitest';
import { layoutNames, layoutTable, readTable, truncate } from '../../../src/renderer/terminal/table';

describe('terminal tables', () => {
  it('reads a table printed with two-space gaps back into its cells, an empty cell included', () => {
    const text = ['name  id  state     waits on  command', 't1    3   sleeping  a timer   loop beep C5 0.25', '-     6   running             tasks'].join('\n');
    expect(readTable(text)).toEqual([
      ['name', 'id', 'state', 'waits on', 'command'],
      ['t1', '3', 'sleeping', 'a timer', 'loop beep C5 0.25'],
      ['-', '6', 'running', '', 'tasks'],
    ]);
    expect(readTable('plain text, one line')).toBeNull();
    expect(readTable('a sentence  with gaps\nthat  is not aligned at all')).toBeNull();
  });

  it('keeps columns in line at any width: the last wraps between words in its column, a wide cell is cut with …', () => {
    const rows = [
      ['← → Home End, Backspace, Delete', 'terminal', 'line editing'],
      ['Ctrl+E', 'anywhere', 'export audio as WAV: asks what (the terminal session, one script, or everything that played)'],
    ];
    for (const width of [30, 45, 62, 120]) {
      const lines = layoutTable(rows, width);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
      const where = lines.filter((l) => !l.startsWith(' ')).map((l) => l.search(/ (terminal|anywhere)/));
      expect(new Set(where).size).toBe(1);
      const words = lines.flatMap((l) => l.trim().split(/\s+/));
      for (const w of ['export', 'everything', 'played)']) expect(words).toContain(w);
    }
    expect(layoutTable(rows, 45)[0]).toContain('…');
    expect(truncate('terminal', 5)).toBe('term…');
  });

  it('lists names in columns, never splitting one', () => {
    const names = ['add', 'amp', 'beep', 'live-loop', 'offload', 'timeout', 'wait'];
    for (const width of [12, 30, 80]) {
      const lines = layoutNames(names, width);
      expect(lines.flatMap((l) => l.split(/\s+/))).toEqual(names);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
    }
  });
});

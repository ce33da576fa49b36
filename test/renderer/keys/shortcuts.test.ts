import { describe, expect, it } from 'vitest';
import readme from '../../../README.md?raw';
import { SHORTCUTS, asksForKeys, chordsOf, keysHelp, keysOf, matches, parseChord, shortcutsMarkdown } from '../../../src/renderer/keys/shortcuts';

const key = (key: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('the shortcut table', () => {
  it("is the README's table of keyboard shortcuts, row for row", () => {
    const section = readme.split('### Keyboard shortcuts')[1]?.split(/\n#/)[0] ?? '';
    const table = section
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .join('\n');
    expect(table).toBe(shortcutsMarkdown());
  });

  it('gives no chord two actions in the same place', () => {
    const seen = new Map<string, string>();
    for (const s of SHORTCUTS.filter((row) => row.action)) {
      for (const c of chordsOf(s)) {
        const id = `${s.where} ${c.ctrl} ${c.shift} ${c.alt} ${c.key}`;
        expect(seen.get(id), `${s.keys} in ${s.where}`).toBeUndefined();
        seen.set(id, s.action!);
      }
    }
  });

  it('tells Shift+Esc (panic) from Esc (close), and takes ⌘ for Ctrl', () => {
    const panic = parseChord('Shift+Esc');
    const close = parseChord('Esc');
    expect(matches(panic, key('Escape', { shiftKey: true }))).toBe(true);
    expect(matches(close, key('Escape', { shiftKey: true }))).toBe(false);
    expect(matches(close, key('Escape'))).toBe(true);
    expect(matches(parseChord('Ctrl+O'), key('o', { metaKey: true }))).toBe(true);
    expect(matches(parseChord('Ctrl+O'), key('o'))).toBe(false);
    expect(matches(parseChord('Ctrl+Shift+L'), key('L', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(matches(parseChord('Ctrl+Shift+L'), key('l', { ctrlKey: true }))).toBe(false);
  });

  it('matches + however the layout makes it (Shift+= on most)', () => {
    const zoomIn = SHORTCUTS.find((s) => s.action === 'zoom-in')!;
    expect(chordsOf(zoomIn).some((c) => matches(c, key('+', { shiftKey: true })))).toBe(true);
    expect(chordsOf(zoomIn).some((c) => matches(c, key('=')))).toBe(true);
  });

  it('has keys for every toolbar action', () => {
    for (const action of ['open-script', 'export-audio', 'save-session', 'panic', 'toggle-story', 'toggle-follow', 'zoom-in', 'zoom-out', 'zoom-fit', 'speed'] as const) {
      expect(keysOf(action), action).not.toBeNull();
    }
  });

  it('answers `help keys` with the list Ctrl+/ prints, the desktop menu only in the desktop app', () => {
    expect(asksForKeys('help keys')).toBe(true);
    expect(asksForKeys('  help   keys ')).toBe(true);
    expect(asksForKeys('help beep')).toBe(false);
    expect(asksForKeys('help')).toBe(false);
    expect(keysHelp(false)).toMatch(/^keyboard shortcuts:\n/);
    expect(keysHelp(false)).toContain('Ctrl+Alt+R');
    expect(keysHelp(false)).not.toContain('Stop All');
    expect(keysHelp(true)).toContain('Stop All');
  });
});

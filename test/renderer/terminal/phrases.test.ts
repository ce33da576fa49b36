import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/core/session/session';
import { LineEditor, memoryHistory } from '../../../src/renderer/terminal/line-editor';
import { SessionPhrases } from '../../../src/renderer/terminal/phrases';
import { builtinCommands } from '../../../src/core/commands';

const COMMAND_NAMES = builtinCommands.names();

/** The page's side: what the session reports, fed to the phrase book as the app does. */
function follow(session: Session): SessionPhrases {
  const phrases = new SessionPhrases();
  session.subscribe((e) => {
    if (e.type === 'task-created' && e.kind === 'line') phrases.learnLine(e.name, e.source);
  });
  return phrases;
}

function completer(phrases: SessionPhrases): LineEditor {
  return new LineEditor(memoryHistory(), () => [...COMMAND_NAMES, ...phrases.names()]);
}
function typeKeys(editor: LineEditor, text: string): void {
  for (const ch of text) editor.feed(ch);
}

describe('phrases the session defined', () => {
  it('learns a def the session ran, and only one it accepted', () => {
    const session = new Session();
    const phrases = follow(session);
    const terminal = session.openSource('terminal');
    terminal.pushLine('def riff beep 60 0.1');
    terminal.pushLine('def add beep 62 0.1'); // a built-in's name: refused
    terminal.pushLine('def 9lives beep 62 0.1'); // not a name: refused
    terminal.pushLine('def Bass-2 chord 0.5 36 43; riff');
    session.scheduler.runUntilIdle(5);
    expect(phrases.names()).toEqual(['riff', 'Bass-2']);
  });

  it('learns the defs of a script as soon as it plays', () => {
    const phrases = new SessionPhrases();
    phrases.learnScript('loop beep 60 0.5\ndef later chord 1 60 64\n# def commented out\n', 'song.txt');
    expect(phrases.names()).toEqual(['later']);
  });

  it('forgets them with the session (after quit)', () => {
    const phrases = new SessionPhrases();
    phrases.learnLine('def riff beep 60 0.1', 'terminal');
    phrases.forget();
    expect(phrases.names()).toEqual([]);
  });
});

describe('Tab completes phrase names', () => {
  const phrases = new SessionPhrases();
  phrases.learnLine('def riff beep 60 0.1', 'terminal');
  phrases.learnLine('def ride2 beep 64 0.1', 'terminal');

  it('completes a phrase like a command', () => {
    const e = completer(phrases);
    typeKeys(e, 'rif\t');
    expect(e.line).toBe('riff ');
  });

  it('lists phrases among the commands that share a prefix', () => {
    const e = completer(phrases);
    const actions = e.feed('r');
    actions.push(...e.feed('\t'));
    // "r" extends to nothing common to remove, repeat, race, riff and ride2: all are listed
    const listed = actions.find((a) => a.type === 'candidates');
    expect(listed).toBeDefined();
    expect(listed!.type === 'candidates' && listed!.names).toEqual(expect.arrayContaining(['riff', 'ride2', 'remove', 'repeat', 'race']));
    const f = completer(phrases);
    typeKeys(f, 'rid\t');
    expect(f.line).toBe('ride2 ');
  });

  it('completes where a command goes inside another: after ;, |, spawn, repeat N, loop, def NAME', () => {
    for (const [typed, done] of [
      ['beep 60; ri', 'beep 60; ri'],
      ['beep 60; rif', 'beep 60; riff '],
      ['gather riff | rif', 'gather riff | riff '],
      ['spawn rif', 'spawn riff '],
      ['repeat 4 rif', 'repeat 4 riff '],
      ['loop rif', 'loop riff '],
      ['def song rif', 'def song riff '],
      ['RIF', 'RIFf '],
    ]) {
      const e = completer(phrases);
      typeKeys(e, `${typed}\t`);
      expect(e.line, typed).toBe(done);
    }
  });

  it('knows no phrase the session has not defined', () => {
    const e = completer(new SessionPhrases());
    typeKeys(e, 'rif\t');
    expect(e.line).toBe('rif');
  });
});

describe('a script checked before it plays', () => {
  it('may use the phrases the session defined (another source\'s as SOURCE/NAME), and defines nothing by being checked', () => {
    const phrases = new SessionPhrases();
    expect(phrases.check('terminal/riff\nwait 1\n', 'song.txt')).toHaveLength(1);
    phrases.learnLine('def riff beep 60 0.1', 'terminal');
    expect(phrases.check('terminal/riff\nwait 1\n', 'song.txt')).toEqual([]);
    expect(phrases.check('def hook chord 1 60 64\nhook\n', 'song.txt')).toEqual([]);
    expect(phrases.names()).toEqual(['riff']);
  });
});

describe('phrases per source, as the session keeps them', () => {
  it("checks a buffer with its own source's phrases: another's is SOURCE/NAME, its bare name unknown", () => {
    const phrases = new SessionPhrases();
    phrases.learnScript('def arp ROOT: beep ROOT 0.25\narp C5\n', 'lesson.txt');
    expect(phrases.check('lesson.txt/arp C5\n', 'scratch')).toEqual([]);
    expect(phrases.check('arp C5\n', 'scratch').map((d) => d.message)).toEqual([expect.stringMatching(/^unknown command "arp"/)]);
    expect(phrases.check('arp C5\n', 'lesson.txt')).toEqual([]);
    // and as the session itself reads them
    const session = new Session();
    session.loadScript('lesson.txt', 'def arp ROOT: beep ROOT 0.25');
    expect(session.check('scratch', 'lesson.txt/arp C5').length + session.check('scratch', 'arp C5').length).toBe(1);
  });
});

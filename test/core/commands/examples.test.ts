/** Every built-in command's example (what `help CMD` prints and the Help panel runs) is a line the parser accepts. */
import { describe, expect, it } from 'vitest';
import { builtinCommands, helpText } from '../../../src/core/commands';
import { parseLine } from '../../../src/core/language/parser';

describe('command examples', () => {
  const withExamples = builtinCommands.commands.filter((c) => c.example !== undefined);

  it('every command but quit has one (running quit would end the session)', () => {
    expect(builtinCommands.commands.filter((c) => c.example === undefined).map((c) => c.name)).toEqual(['quit']);
  });

  it.each(withExamples.map((c) => [c.name, c.example!]))('%s: "%s" parses without errors and uses the command', (name, example) => {
    const parsed = parseLine(example, 'help', 1, builtinCommands.fork());
    expect(parsed.kind === 'error' ? parsed.diagnostics : []).toEqual([]);
    expect(example).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('help CMD shows the example', () => {
    expect(helpText(builtinCommands, 'chord')).toContain('example: chord 0.5 C4 E4 G4');
  });
});

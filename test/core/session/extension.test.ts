import { describe, expect, it } from 'vitest';
import { builtinCommands } from '../../../src/core/commands';
import { defineCommand, type Invocation } from '../../../src/core/language';
import { join, sleepNs } from '../../../src/core/scheduler';
import { Session, type SessionEvent } from '../../../src/core/session';

// The commands that come next (spawn, repeat, ...) are one table entry each. These
// two are written here the way they will be, to hold the table's design to that.
const spawn = defineCommand({
  name: 'spawn',
  usage: 'spawn CMD',
  summary: 'run CMD in a task of its own and go on at once',
  parse(r, ctx) {
    const rest = r.rest();
    if (rest.length === 0) r.missing('a command');
    return rest.length === 0 ? null : ctx.parseCommand(rest);
  },
  *run(invocation, ctx) {
    const task = ctx.spawn(invocation as Invocation, { kind: 'spawned' });
    ctx.output(`task ${task.id}: ${task.name}`);
  },
});

const repeat = defineCommand({
  name: 'repeat',
  usage: 'repeat K CMD',
  summary: 'run CMD K times, one after another',
  parse(r, ctx) {
    const word = r.word('a count K');
    const count = word !== undefined && /^\d+$/.test(word.text) ? Number(word.text) : NaN;
    if (word !== undefined && Number.isNaN(count)) r.error(word, { message: `expected a count, found "${word.text}"` });
    const rest = r.rest();
    if (rest.length === 0) r.missing('a command');
    return { count, invocation: rest.length === 0 ? null : ctx.parseCommand(rest) };
  },
  *run({ count, invocation }, ctx) {
    for (let i = 0; i < count; i++) {
      yield* join(ctx.spawn(invocation!));
      yield* sleepNs(0);
    }
  },
});

describe('adding commands to the table', () => {
  it('runs new commands with nested commands, help and suggestions, without touching the parser', () => {
    const session = new Session({ commands: builtinCommands.with(spawn).with(repeat) });
    const events: SessionEvent[] = [];
    session.subscribe((e) => events.push(e));
    session.loadScript('s', ['spawn chord 2 60', 'repeat 3 beep 72 0.5', 'repaet 2 wait 1', 'spawn chrod 1 60', 'help'].join('\n'));
    session.scheduler.runUntilIdle();

    const notes = events.flatMap((e) => (e.type === 'notes' ? [`${e.t}:${e.notes.join(',')}`] : []));
    // Back-to-back beeps of one note are separate notes: a new voice of 72 at 0.5 and 1.
    expect(notes).toEqual(['0:60,72', '0.5:60,72', '1:60,72', '1.5:60', '2:']);
    const beeps = events.flatMap((e) => (e.type === 'task-created' && e.name === 'beep 72 0.5' ? [e.t] : []));
    expect(beeps).toEqual([0, 0.5, 1]);
    const diagnostics = events.flatMap((e) => (e.type === 'diagnostic' ? [e.diagnostic] : []));
    expect(diagnostics.map((d) => [d.line, d.col, d.hint])).toEqual([
      [3, 1, 'did you mean "repeat"?'],
      [4, 7, 'did you mean "chord"?'],
    ]);
    const outputs = events.flatMap((e) => (e.type === 'output' ? [e.text] : []));
    expect(outputs[0]).toMatch(/^task \d+: chord 2 60$/);
    expect(outputs[1]).toContain('repeat K CMD');
    const spawned = events.find((e) => e.type === 'task-created' && e.kind === 'spawned');
    expect(spawned).toMatchObject({ name: 'chord 2 60', pos: { line: 1, col: 7 }, source: 's' });
  });
});

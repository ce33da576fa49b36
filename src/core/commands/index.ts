import { CommandTable } from '../language/command';
import { evalCommand, help, quit } from './control';
import { cancel, fail, panic, stop, tasks } from './inspect';
import { drum } from './drums';
import { sample } from './samples';
import { add, beep, chord, remove, wait } from './notes';
import { live } from './live';
import { def } from './phrases';
import { amp, env, pan, synth } from './voices';
import { euclid, seq } from './patterns';
import { fx } from './fx';
import { loop, repeat } from './repeat';
import { spawn } from './spawn';
import { cue, sync } from './sync';
import { bpm, seed } from './tempo';
import { gather, group, race, settle, timeout } from './together';
import { block, offload } from './work';

export * from './body';
export * from './control';
export * from './drums';
export * from './fx';
export * from './inspect';
export * from './live';
export * from './notes';
export * from './patterns';
export * from './phrases';
export * from './repeat';
export * from './sample-load';
export * from './samples';
export * from './spawn';
export * from './sync';
export * from './tempo';
export * from './together';
export * from './voices';
export * from './watch';
export * from './work';

/** The built-in commands, in the order help lists them: the demo's, the concurrency commands, quit and help. */
export const builtinCommands = new CommandTable([
  add, remove, chord, beep, wait, drum, sample, evalCommand, amp, env, synth, pan, fx,
  seq, euclid, bpm, seed, cue, sync, live,
  spawn, gather, group, settle, race, timeout, repeat, loop, tasks, cancel, stop, panic, block, offload, fail, def,
  quit, help,
]).freeze();

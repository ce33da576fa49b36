import type { Task } from '../scheduler/task';
import { defineSessionSlice, type StateHolder } from '../session/state';
import type { VoiceOptions } from '../stream/voice';
import type { Rational } from './music';

/**
 * What a task sets for itself: how the notes it starts sound (amp, env,
 * synth: its voice) and its tempo (bpm). A setting made in a line or a part of
 * a command belongs to the nearest spawned task around it (a `spawn`, a `live`
 * loop), or else to the source (so `bpm 120` on a line of its own holds for
 * the script's later lines). A spawned task starts with a copy of its
 * spawner's settings, taken at the spawn, and from then on they are its own:
 * a `synth fm` or `bpm 140` in one live loop changes that loop alone, and a
 * later one in the script reaches no task it has already spawned.
 */

/** A tempo, as a fraction of beats a minute, with the same fraction in plain numbers (for the hot path). */
export interface Tempo {
  bpm: Rational;
  p: number;
  q: number;
}

export interface TaskSettings {
  voice: VoiceOptions;
  /** null: the default tempo. */
  tempo: Tempo | null;
}

const NONE: TaskSettings = Object.freeze({ voice: Object.freeze({}), tempo: null });

/**
 * The settings of the session's tasks, by the task that owns them (weak: none
 * outlives its task). `tempos`: whether any task has set a tempo yet, so a
 * script that never does reads none on its every beat.
 */
const settingsState = defineSessionSlice('task-settings', () => ({ byTask: new WeakMap<Task<unknown>, TaskSettings>(), tempos: false, version: 0 }));

/** How many times a task's settings changed in the session (the interleaving explorer's test of a shared change). */
export function settingsVersion(holder: StateHolder): number {
  return holder.state.has(settingsState) ? settingsState.of(holder).version : 0;
}

/** The task a setting made in `task` belongs to: the nearest spawned task around it (itself, maybe), else its root. */
export function settingsOwner(task: Task<unknown>): Task<unknown> {
  let t = task;
  while (t.kind !== 'spawned' && t.parent !== null) t = t.parent;
  return t;
}

/** The settings that hold in `task` now. */
export function settingsIn(holder: StateHolder, task: Task<unknown>): TaskSettings {
  return settingsState.of(holder).byTask.get(settingsOwner(task)) ?? NONE;
}

/** Change the settings of the task that owns what `task` sets. */
export function changeSettings(holder: StateHolder, task: Task<unknown>, change: { voice?: VoiceOptions; tempo?: Tempo }): void {
  const state = settingsState.of(holder);
  const owner = settingsOwner(task);
  const now = state.byTask.get(owner) ?? NONE;
  state.byTask.set(owner, { voice: change.voice !== undefined ? { ...now.voice, ...change.voice } : now.voice, tempo: change.tempo ?? now.tempo });
  if (change.tempo !== undefined) state.tempos = true;
  state.version++;
}

/** A task spawned now by `spawner` starts with the settings that hold there (they are copied on change, so sharing the record is a copy). */
export function inheritSettings(holder: StateHolder, spawner: Task<unknown> | null, spawned: Task<unknown>): void {
  if (spawner === null) return;
  const state = settingsState.of(holder);
  const settings = state.byTask.get(settingsOwner(spawner));
  if (settings !== undefined) state.byTask.set(spawned, settings);
}

/** The tempo of the task running now, or null for the default one. */
export function tempoIn(holder: StateHolder, task: Task<unknown> | null): Tempo | null {
  const state = settingsState.of(holder);
  if (!state.tempos || task === null) return null;
  return state.byTask.get(settingsOwner(task))?.tempo ?? null;
}

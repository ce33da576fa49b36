/**
 * What the app's inspector shows while the session is paused (issue 20): the
 * core's stepping API (src/core/debug/inspect.ts) as plain data a message can
 * carry. The ready queue in the order the next steps run it, the timers in
 * the order they fire, and the await tree as `asyncio pstree` prints it,
 * flattened to its rows (each with its depth) so that no schema recurses.
 */
import * as v from 'valibot';
import type { AwaitView, TaskView } from '../core/debug/inspect';
import { LIMITS } from './limits';
import { FiniteSchema, IdSchema, NameSchema } from './schemas';

/** Rows each list of the inspector carries at most; `more` counts the rest. */
export const INSPECTOR_ROWS = 200;

const LineSchema = v.nullable(v.pipe(v.number(), v.safeInteger(), v.minValue(0)));
/** A task's name is its command as written: as long as a line may be (a script's length, as the task events allow). */
const TextSchema = v.pipe(v.string(), v.maxLength(LIMITS.scriptLength));
const CountSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** A task as the debugger names it: its id, its command as written, and where that is. */
export const DebugTaskSchema = v.object({ id: IdSchema, name: TextSchema, source: NameSchema, line: LineSchema, col: LineSchema });

/** What a task awaits: nothing (ready, running), a timer, a block, other tasks, a cue or a worker (a future), or it has ended. */
export const AwaitViewSchema = v.variant('kind', [
  v.object({ kind: v.literal('ready') }),
  v.object({ kind: v.literal('running') }),
  v.object({ kind: v.literal('sleep'), until: FiniteSchema }),
  v.object({ kind: v.literal('block') }),
  /** The first INSPECTOR_ROWS of the tasks it awaits (a `gather` of more names only those). */
  v.object({ kind: v.literal('tasks'), ids: v.pipe(v.array(IdSchema), v.maxLength(INSPECTOR_ROWS)) }),
  v.object({ kind: v.literal('future'), label: TextSchema }),
  v.object({ kind: v.literal('ended'), state: TextSchema }),
]);

export const InspectorSchema = v.object({
  /** The logical time (s) the paused clock stands at. */
  t: FiniteSchema,
  /** The tasks ready at this instant, in the order the next steps run them. */
  ready: v.pipe(v.array(DebugTaskSchema), v.maxLength(INSPECTOR_ROWS)),
  /** The sleeping tasks, in the order they wake, each with its wake time (s). */
  timers: v.pipe(v.array(v.object({ at: FiniteSchema, task: DebugTaskSchema })), v.maxLength(INSPECTOR_ROWS)),
  /** The await tree's rows in order (a root, then what it awaits one level deeper, ...). */
  tree: v.pipe(v.array(v.object({ task: DebugTaskSchema, awaits: AwaitViewSchema, depth: CountSchema })), v.maxLength(INSPECTOR_ROWS)),
  /** How many rows of each list were left off past INSPECTOR_ROWS. */
  more: v.object({ ready: CountSchema, timers: CountSchema, tree: CountSchema }),
});
export type Inspector = v.InferOutput<typeof InspectorSchema>;
export type DebugTask = v.InferOutput<typeof DebugTaskSchema>;

/** What the three step buttons ask: one resumption, the rest of this instant, or until a task's command is over. */
export const StepKindSchema = v.picklist(['step', 'next-instant', 'line']);
export type StepKind = v.InferOutput<typeof StepKindSchema>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/** Compile-time checks: the schemas say what the core's stepping API gives. */
export type InspectorMatchesCore = [Assert<Same<DebugTask, TaskView>>, Assert<Same<v.InferOutput<typeof AwaitViewSchema>, AwaitView>>];

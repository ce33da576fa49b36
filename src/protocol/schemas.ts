/**
 * valibot schemas of the core's plain-data types (SessionEvent, Diagnostic,
 * SessionSnapshot). They mirror `src/core/session/api.ts`,
 * `src/core/scheduler/events.ts` and `src/core/stream/stream.ts`; the type
 * checks at the bottom fail to compile if the two drift apart.
 */
import * as v from 'valibot';
import type { CancelCause, SourcePosition, TaskEvent, TaskInfo, WaitTarget } from '../core/scheduler/events';
import type { TaskState } from '../core/scheduler/task';
import type { Diagnostic, SessionEvent, SessionSnapshot, SnapshotTask } from '../core/session/api';
import type { StreamEvent } from '../core/stream/stream';
import { MAX_CHAIN_EFFECTS, MAX_DELAY_NS, MAX_FEEDBACK, MAX_HZ, MAX_RES, MIN_HZ, MIN_RES } from '../core/stream/fx';
import { DRUMS, MAX_DRUM_RATE, MIN_DRUM_RATE, TIMBRES, type VoiceInfo } from '../core/stream/voice';
import { LIMITS } from './limits';

/** A finite number (JSON cannot carry NaN or Infinity, and neither may a message). */
export const FiniteSchema = v.pipe(v.number(), v.finite());
/** A task id, or any other non-negative integer. */
export const IdSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
export const NameSchema = v.pipe(v.string(), v.maxLength(LIMITS.nameLength));
const TextSchema = v.pipe(v.string(), v.maxLength(LIMITS.scriptLength));

const stamp = { t: FiniteSchema, wall: FiniteSchema };

export const SourcePositionSchema = v.object({
  source: NameSchema,
  line: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  col: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
});

export const WaitTargetSchema = v.variant('kind', [
  v.object({ kind: v.literal('task'), id: IdSchema }),
  v.object({ kind: v.literal('future'), label: TextSchema }),
  v.object({ kind: v.literal('tasks'), ids: v.array(IdSchema) }),
]);

const ErrorInfoSchema = v.object({ name: TextSchema, message: TextSchema });

export const TaskKindSchema = v.picklist(['source', 'line', 'command', 'spawned', 'timer', 'worker', 'task']);

/** A task's identity: the one schema of it (task-created, snapshot tasks). */
export const TaskInfoSchema = v.object({
  id: IdSchema,
  parent: v.nullable(IdSchema),
  name: TextSchema,
  kind: TaskKindSchema,
  source: NameSchema,
  pos: v.nullable(SourcePositionSchema),
});

export const TaskStateSchema = v.picklist(['ready', 'running', 'sleeping', 'blocking', 'waiting', 'done', 'failed', 'cancelled']);

const CancelControlSchema = v.picklist(['cancel', 'stop', 'interrupt', 'panic', 'quit']);

export const CancelCauseSchema = v.object({
  by: v.union([IdSchema, CancelControlSchema]),
  reason: v.picklist(['cancel', 'stop', 'interrupt', 'panic', 'quit', 'group-failure', 'race', 'timeout', 'awaiter-cancelled', 'awaited-cancelled', 'owner-ended', 'raised']),
});

export const TaskEventSchema = v.variant('type', [
  v.object({ ...stamp, type: v.literal('task-created'), ...TaskInfoSchema.entries }),
  v.object({ ...stamp, type: v.literal('task-running'), id: IdSchema }),
  v.object({ ...stamp, type: v.literal('task-ready'), id: IdSchema }),
  v.object({ ...stamp, type: v.literal('task-sleeping'), id: IdSchema, until: FiniteSchema }),
  v.object({ ...stamp, type: v.literal('task-blocking'), id: IdSchema, until: FiniteSchema }),
  v.object({ ...stamp, type: v.literal('task-waiting'), id: IdSchema, on: WaitTargetSchema }),
  v.object({ ...stamp, type: v.literal('task-done'), id: IdSchema }),
  v.object({ ...stamp, type: v.literal('task-failed'), id: IdSchema, error: ErrorInfoSchema }),
  v.object({ ...stamp, type: v.literal('task-unhandled'), id: IdSchema, error: ErrorInfoSchema }),
  v.object({ ...stamp, type: v.literal('task-cancelled'), id: IdSchema, ...CancelCauseSchema.entries }),
  v.object({ ...stamp, type: v.literal('loop-lag'), id: IdSchema, late: FiniteSchema }),
]);

const NoteSchema = FiniteSchema;

const UnitSchema = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const SecondsSchema = v.pipe(FiniteSchema, v.minValue(0));
export const EnvelopeSchema = v.object({ attack: SecondsSchema, decay: SecondsSchema, sustain: UnitSchema, release: SecondsSchema });
const within = (lo: number, hi: number) => v.pipe(FiniteSchema, v.minValue(lo), v.maxValue(hi));
/** One effect of a voice's chain, in its ranges (src/core/stream/fx.ts): a page never makes a delay line longer than 4 s. */
export const EffectSchema = v.variant('type', [
  v.object({ type: v.literal('reverb'), room: UnitSchema }),
  v.object({ type: v.literal('delay'), ns: within(1, MAX_DELAY_NS), feedback: within(0, MAX_FEEDBACK) }),
  v.object({ type: v.literal('lpf'), hz: within(MIN_HZ, MAX_HZ), res: within(MIN_RES, MAX_RES) }),
  v.object({ type: v.literal('hpf'), hz: within(MIN_HZ, MAX_HZ), res: within(MIN_RES, MAX_RES) }),
  v.object({ type: v.literal('distort'), amount: UnitSchema }),
]);
export const VoiceInfoSchema = v.object({
  id: IdSchema,
  owner: v.nullable(IdSchema),
  note: NoteSchema,
  level: UnitSchema,
  onset: FiniteSchema,
  envelope: v.optional(EnvelopeSchema),
  timbre: v.optional(v.picklist(TIMBRES)),
  pan: v.optional(v.pipe(v.number(), v.minValue(-1), v.maxValue(1))),
  drum: v.optional(v.picklist(DRUMS)),
  rate: v.optional(v.pipe(FiniteSchema, v.minValue(MIN_DRUM_RATE), v.maxValue(MAX_DRUM_RATE))),
  /** `sample PATH`: which of the session's samples (its id, a path of at most 4096 characters), its part, and whether it loops. */
  sample: v.optional(v.object({ id: v.pipe(v.string(), v.maxLength(4096)), start: UnitSchema, end: UnitSchema, loop: v.optional(v.literal(true)), seconds: v.optional(v.pipe(FiniteSchema, v.minValue(0))) })),
  fx: v.optional(v.pipe(v.array(EffectSchema), v.maxLength(MAX_CHAIN_EFFECTS))),
});

export const StreamEventSchema = v.variant('type', [
  v.object({
    type: v.literal('notes'),
    t: FiniteSchema,
    ns: FiniteSchema,
    wall: FiniteSchema,
    notes: v.array(NoteSchema),
    freqs: v.array(FiniteSchema),
    voices: v.optional(v.array(VoiceInfoSchema)),
  }),
  v.object({ type: v.literal('stream-end'), t: FiniteSchema, ns: FiniteSchema, wall: FiniteSchema }),
]);

export const DiagnosticSchema = v.object({
  source: NameSchema,
  line: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  col: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  endCol: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
  message: TextSchema,
  found: v.optional(TextSchema),
  expected: v.optional(TextSchema),
  hint: v.optional(TextSchema),
});

const SessionOnlyEventSchema = v.variant('type', [
  v.object({ ...stamp, type: v.literal('diagnostic'), diagnostic: DiagnosticSchema, taskId: v.nullable(IdSchema) }),
  v.object({ ...stamp, type: v.literal('task-named'), id: IdSchema, alias: NameSchema, source: NameSchema }),
  v.object({ ...stamp, type: v.literal('output'), source: NameSchema, text: TextSchema, taskId: v.nullable(IdSchema) }),
  v.object({ ...stamp, type: v.literal('source-opened'), source: NameSchema, taskId: IdSchema }),
  v.object({ ...stamp, type: v.literal('cue'), source: NameSchema, name: NameSchema, taskId: v.nullable(IdSchema), woke: v.array(IdSchema) }),
  v.object({ ...stamp, type: v.literal('live-swap'), source: NameSchema, name: NameSchema, taskId: IdSchema, pass: v.pipe(v.number(), v.safeInteger(), v.minValue(0)), text: TextSchema, pos: v.nullable(SourcePositionSchema) }),
  v.object({ ...stamp, type: v.literal('seed'), source: NameSchema, seed: v.pipe(v.number(), v.safeInteger(), v.minValue(0)) }),
  v.object({ ...stamp, type: v.literal('step'), source: NameSchema, taskId: IdSchema, index: v.pipe(v.number(), v.safeInteger(), v.minValue(0)), hit: v.boolean() }),
  v.object({ ...stamp, type: v.literal('tempo'), source: NameSchema, bpm: v.pipe(v.number(), v.minValue(0)), taskId: v.nullable(IdSchema) }),
  v.object({
    ...stamp,
    type: v.literal('source-ended'),
    source: NameSchema,
    reason: v.picklist(['eof', 'quit', 'stopped', 'error']),
  }),
  v.object({ ...stamp, type: v.literal('session-ended') }),
  v.object({ ...stamp, type: v.literal('engine-behind'), behind: SecondsSchema, skipped: SecondsSchema }),
]);

/** Any event a session publishes. */
export const SessionEventSchema = v.variant('type', [TaskEventSchema, StreamEventSchema, SessionOnlyEventSchema]);

export const SnapshotTaskSchema = v.object({ ...TaskInfoSchema.entries, state: TaskStateSchema, alias: v.optional(NameSchema) });

export const SessionSnapshotSchema = v.object({
  t: FiniteSchema,
  wall: FiniteSchema,
  notes: v.array(NoteSchema),
  tasks: v.array(SnapshotTaskSchema),
  recent: v.array(SessionEventSchema),
});

// ---- the schemas and the core's types must describe the same data ----------
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function assertSame<T extends true>(_check?: T): void {}
assertSame<Same<v.InferOutput<typeof SourcePositionSchema>, SourcePosition>>();
assertSame<Same<v.InferOutput<typeof WaitTargetSchema>, WaitTarget>>();
assertSame<Same<v.InferOutput<typeof TaskInfoSchema>, TaskInfo>>();
assertSame<Same<v.InferOutput<typeof TaskStateSchema>, TaskState>>();
assertSame<Same<v.InferOutput<typeof CancelCauseSchema>, CancelCause>>();
assertSame<Same<v.InferOutput<typeof SnapshotTaskSchema>, SnapshotTask>>();
assertSame<Same<v.InferOutput<typeof TaskEventSchema>, TaskEvent>>();
assertSame<Same<v.InferOutput<typeof VoiceInfoSchema>, VoiceInfo>>();
assertSame<Same<v.InferOutput<typeof StreamEventSchema>, StreamEvent>>();
assertSame<Same<v.InferOutput<typeof DiagnosticSchema>, Diagnostic>>();
assertSame<Same<v.InferOutput<typeof SessionEventSchema>, SessionEvent>>();
assertSame<Same<v.InferOutput<typeof SessionSnapshotSchema>, SessionSnapshot>>();

/**
 * Every message between the engine host (Electron main, or web mode's Node
 * server) and a renderer. The same shapes cross Electron IPC (structured
 * clone) and web mode's WebSocket (JSON text frames); both ends validate what
 * they receive with these schemas.
 *
 * Renderer → host: a {@link RendererRequest}; the host answers each with one
 * {@link HostReply} carrying the request's `id`.
 * Host → renderer: {@link HostMessage}s pushed at any time (event batches,
 * snapshots, notices).
 */
import * as v from 'valibot';
import { PROTOCOL_VERSION } from './channels';
import { EXPLORE_LIMITS, LIMITS } from './limits';
import { DiagnosticSchema, FiniteSchema, IdSchema, NameSchema, SessionEventSchema, SessionSnapshotSchema } from './schemas';
import { InspectorSchema, StepKindSchema } from './inspector';

/** The name of the source that lines typed into the renderer's terminal run in. */
export const TERMINAL_SOURCE = 'terminal';

const RequestIdSchema = IdSchema;
const LineSchema = v.pipe(v.string(), v.maxLength(LIMITS.lineLength));
const ScriptTextSchema = v.pipe(v.string(), v.maxLength(LIMITS.scriptLength));
const CountSchema = v.pipe(v.number(), v.integer(), v.minValue(0));
const ScriptNameSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.nameLength));
/** A name an export is given by the renderer that asks for it. */
const ExportIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

// ---- renderer → host ------------------------------------------------------

/** A download route path: `/download/` and an id of 16-128 base64url characters (nothing else: no host, no query). */
export const DownloadUrlSchema = v.pipe(v.string(), v.regex(/^\/download\/[A-Za-z0-9_-]{16,128}$/));

/** Where a file the host produced went. */
export const FileResultSchema = v.variant('kind', [
  /** Written to `path` on the host's disk (Electron, after a Save dialog). */
  v.object({ kind: v.literal('saved'), path: v.string() }),
  /** The user closed the dialog. */
  v.object({ kind: v.literal('cancelled') }),
  /** The renderer should offer it as a download (web mode). */
  v.object({
    kind: v.literal('download'),
    fileName: NameSchema,
    mime: NameSchema,
    encoding: v.picklist(['utf8', 'base64']),
    data: v.string(),
  }),
  /**
   * The renderer should download it from `url` (web mode, exported audio): a
   * same-origin path `/download/ID` the host serves for a short time, so large
   * files need not travel base64-encoded in a JSON frame.
   */
  v.object({
    kind: v.literal('link'),
    fileName: NameSchema,
    mime: NameSchema,
    url: DownloadUrlSchema,
    /** The file's length in bytes. */
    size: v.pipe(v.number(), v.integer(), v.minValue(0)),
  }),
]);
export type FileResult = v.InferOutput<typeof FileResultSchema>;

/** An example lesson as `resources/examples/index.json` lists it. */
export const ExampleSummarySchema = v.object({
  /** The script's file name in resources/examples (it names the example in requests). */
  file: ScriptNameSchema,
  title: NameSchema,
  /** The lesson in a paragraph: why it sounds the way it does. */
  story: v.pipe(v.string(), v.maxLength(LIMITS.scriptLength)),
  /** The seed text the lesson comes from, when known. */
  seed: v.optional(NameSchema),
});
export type ExampleSummary = v.InferOutput<typeof ExampleSummarySchema>;

/** An example with its script: the whole text, and its `#` header as prose. */
export const ExampleSchema = v.object({
  ...ExampleSummarySchema.entries,
  /** The script's leading `#` comment lines, without the `# ` (the story at more length, with code). */
  header: v.pipe(v.string(), v.maxLength(LIMITS.scriptLength)),
  text: ScriptTextSchema,
});
export type Example = v.InferOutput<typeof ExampleSchema>;

/** How fast logical time plays, as a fraction of real time. */
export const SPEEDS = [0.25, 0.5, 1] as const;
export const SpeedSchema = v.picklist(SPEEDS);


const ExploreTextSchema = v.pipe(v.string(), v.maxLength(LIMITS.lineLength));
/** One distinct outcome of an `explore` run. */
const ExploredOutcomeSchema = v.object({
  /** How many orders made it. */
  runs: CountSchema,
  summary: ExploreTextSchema,
  /** Where its order first leaves asyncio's: the instant, the task run early and the one that was first in line (null: outcome 1). */
  parting: v.nullable(v.object({ t: FiniteSchema, ran: ExploreTextSchema, fifo: ExploreTextSchema })),
  /** The choices that make it, each a task run first at an instant (of `ready` ready). */
  order: v.pipe(v.array(v.object({ t: FiniteSchema, ran: ExploreTextSchema, ready: CountSchema })), v.maxLength(EXPLORE_LIMITS.orderShown)),
  moreOrder: CountSchema,
  /** How it differs from outcome 1, in lines (the first change of the notes that differs, the task ends only one has). */
  differences: v.pipe(v.array(ExploreTextSchema), v.maxLength(64)),
  /** Each change of the sounding notes: its time and the notes held. */
  sound: v.pipe(v.array(v.object({ t: FiniteSchema, notes: v.array(v.number()) })), v.maxLength(EXPLORE_LIMITS.events)),
  /** The session events of the first run that made it (empty past the first EXPLORE_LIMITS.drawnOutcomes). */
  events: v.pipe(v.array(SessionEventSchema), v.maxLength(EXPLORE_LIMITS.events)),
  eventsLeftOut: CountSchema,
});

/**
 * The requests, by `type`, each with the schema of its parameters and of the
 * `value` of a successful reply.
 */
export const REQUESTS = {
  /**
   * Queue one line (without its newline) in the {@link TERMINAL_SOURCE}
   * source. Lines of one source run one after another; what the line does
   * (and any error in it, as a `diagnostic` event) arrives as events.
   * Reply: the source's name.
   */
  'submit-line': {
    params: { line: LineSchema },
    result: v.object({ source: NameSchema }),
  },
  /**
   * Load a script's text and play it as its own source (named `name`),
   * concurrently with typed lines and other scripts. Every line is parsed
   * first: parse errors are reported (as `diagnostic` events, and in the
   * reply's `diagnostics`) before anything plays; lines with errors are
   * skipped and the rest plays. `started` is false only if the session has
   * ended. The script becomes the host's "current script" (what export-audio
   * renders).
   */
  'load-script': {
    params: { name: ScriptNameSchema, text: ScriptTextSchema },
    result: v.object({ source: NameSchema, started: v.boolean(), diagnostics: v.array(DiagnosticSchema) }),
  },
  /** Stop a source: its running line is cancelled and its queued lines dropped. Reply: whether it was running. */
  'stop-source': {
    params: { source: NameSchema },
    result: v.object({ stopped: v.boolean() }),
  },
  /**
   * Ctrl+C for a source (usually {@link TERMINAL_SOURCE}): cancel what it is
   * running and drop the lines queued behind it; it keeps reading new lines.
   * Reply: whether there was anything to stop.
   */
  'interrupt-source': {
    params: { source: NameSchema },
    result: v.object({ interrupted: v.boolean() }),
  },
  /** Cancel one task (its `finally` blocks run: a cancelled chord releases its notes). Reply: whether it was alive. */
  'cancel-task': {
    params: { taskId: IdSchema },
    result: v.object({ cancelled: v.boolean() }),
  },
  /** Stop every source and task; notes still held stay until removed (use panic for silence). */
  'stop-all': {
    params: {},
    result: v.null(),
  },
  /** Stop everything and silence every note at once. */
  panic: {
    params: {},
    result: v.null(),
  },
  /**
   * Ask for a fresh snapshot. The snapshot itself arrives as a `snapshot`
   * {@link HostMessage} on the push channel, in order with event batches
   * (every batch after it is newer than it); the reply carries nothing.
   */
  'get-snapshot': {
    params: {},
    result: v.null(),
  },
  /**
   * Render a script offline to a WAV file with the core synthesiser (or, with
   * `format: 'midi'`, write its notes as a MIDI file), named after what it is: `what` says which (see its comment); without it the
   * given one, or else the current script (the last loaded), or else the
   * session's typed lines. Electron saves it through a Save dialog (`saved`
   * or `cancelled`); web mode answers a `link` to fetch the WAV from.
   */
  'export-audio': {
    params: {
      /**
       * What to render: the lines typed in the terminal (with their waits),
       * the script that played as source `name`, or everything that played
       * (the session's notes, from its history). Without it: `text` if given,
       * else the current script, else the typed lines.
       */
      what: v.optional(v.picklist(['terminal', 'script', 'all'])),
      name: v.optional(ScriptNameSchema),
      text: v.optional(ScriptTextSchema),
      sampleRate: v.optional(v.pipe(v.number(), v.integer(), v.minValue(8000), v.maxValue(192_000))),
      /** The file to write: a WAV (the default) or a Standard MIDI File of the notes (a track per source, live loop and named task). */
      format: v.optional(v.picklist(['wav', 'midi'])),
      /** A name the renderer gives the export, for cancel-export to stop it by; cancelled, it is answered `cancelled`. */
      exportId: v.optional(ExportIdSchema),
    },
    result: FileResultSchema,
  },
  /**
   * Stop the export named `exportId` (without it: every export running or
   * waiting for its turn): its worker is ended and its export-audio request
   * answered `cancelled`. Reply: whether there was one to stop.
   */
  'cancel-export': {
    params: { exportId: v.optional(ExportIdSchema) },
    result: v.object({ cancelled: v.boolean() }),
  },
  /** The example lessons the host has (resources/examples/index.json), in the order a newcomer takes them. */
  'list-examples': {
    params: {},
    result: v.object({ examples: v.array(ExampleSummarySchema) }),
  },
  /**
   * Open an example by its `file`: reply with its story and script and, unless
   * `play` is false, play it as a script (as load-script does, source named
   * after the file). Every attached renderer is also sent an `example` message,
   * so the story panel opens wherever the example was picked (menu or page).
   */
  'load-example': {
    params: { file: ScriptNameSchema, play: v.optional(v.boolean()) },
    result: v.object({ example: ExampleSchema, source: NameSchema, started: v.boolean(), diagnostics: v.array(DiagnosticSchema) }),
  },
  /**
   * Play logical time at `speed` times real time (1/4, 1/2 or 1), from now on,
   * without a jump in logical time. Every attached renderer is sent a `clock`
   * message read at the change, to re-anchor its audio clock there. Reply: the
   * speed in force.
   */
  'set-speed': {
    params: { speed: SpeedSchema },
    result: v.object({ speed: FiniteSchema }),
  },
  /**
   * Pause (`paused: true`) or continue the session's logical clock. Paused,
   * nothing runs and logical time stands still; typed lines wait and run on
   * continue, which goes on from the same logical time (nothing skipped,
   * nothing late). Every attached renderer is sent a `clock` message saying
   * so. `panic` still works while paused. Reply: whether it is paused, and
   * the logical time the clock stands at.
   */
  'set-paused': {
    params: { paused: v.boolean() },
    result: v.object({ paused: v.boolean(), t: FiniteSchema }),
  },
  /**
   * Send every note's start and end (and each cue) as OSC bundles over UDP to
   * `target`, `HOST:PORT`, stamped with their logical time plus a latency
   * (`--osc` of the command line); null stops. Web mode sends only to this
   * machine unless started with --osc-any-host. Reply: the target in force.
   */
  'set-osc': {
    params: { target: v.nullable(v.pipe(v.string(), v.maxLength(300))) },
    result: v.object({ target: v.nullable(v.string()) }),
  },
  /**
   * Save what was typed in the terminal, with the waits between lines, as a
   * script that replays it. Electron: Save dialog; web mode: `download` (utf8).
   */
  'save-session': {
    params: {},
    result: FileResultSchema,
  },
  // ---- stepping while paused (issue 20: the inspector) ----
  /**
   * While paused (set-paused), move the session by hand with the core's
   * stepper: `step` runs exactly one resumption (the first ready task, to its
   * next await), `next-instant` the rest of this instant and then moves the
   * clock to the next timer, `line` runs until task `taskId` (default: the
   * next to run) has finished its current command. Its notes are published at
   * once; every renderer is then sent the clock where it stands and the
   * `inspector`. Refused (`unavailable`) while the clock runs. Reply: how many
   * resumptions ran, the first ones' task ids, the time, and why it stopped.
   */
  step: {
    params: { kind: StepKindSchema, taskId: v.optional(IdSchema) },
    result: v.object({
      count: CountSchema,
      ran: v.array(IdSchema),
      t: FiniteSchema,
      stop: v.picklist(['stepped', 'breakpoint', 'idle', 'limit', 'count']),
    }),
  },
  /** The inspector as it stands (a page that joins a paused session asks for it); null while the clock runs. */
  inspect: {
    params: {},
    result: v.nullable(InspectorSchema),
  },
  /**
   * The interleaving explorer: run the script `text` (as source `name`, on
   * the virtual clock, apart from the live session) under the other orders of
   * its same-instant ready tasks, at most `budget` runs (see EXPLORE_LIMITS),
   * and group the runs by outcome (the notes heard and how each task ended).
   * Reply: the runs, the distinct outcomes (asyncio's first-in-first-out
   * order's first), each with how many orders made it, where it parts from the
   * first (the instant and the two tasks), the order that makes it, and the
   * session events of its first run (for its timeline and to play it).
   */
  explore: {
    params: { name: ScriptNameSchema, text: ScriptTextSchema, budget: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(EXPLORE_LIMITS.maxBudget))) },
    result: v.object({
      runs: CountSchema,
      distinct: CountSchema,
      /** Orders that could still matter when the budget ran out. */
      unexplored: CountSchema,
      /** `interleavings: N orders run, K distinct outcomes`. */
      summary: v.string(),
      outcomes: v.pipe(v.array(ExploredOutcomeSchema), v.maxLength(EXPLORE_LIMITS.outcomes)),
    }),
  },
  // ---- replay from here (issue 20) ----
  /**
   * Rebuild the session at logical time `t` (s) offline from its recorded
   * inputs, check the rebuild equals the original there (the same events up
   * to `t`, live tasks and notes held), and carry on from it on the real
   * clock, paused at `t` if `paused`. Every renderer is sent a snapshot (the
   * events up to `t`, then what follows). A rebuild that differs is answered
   * `failed` with what differs, and nothing changes. Reply: the moment, the
   * inputs replayed and the milliseconds the rebuild took.
   */
  'replay-from': {
    params: { t: v.pipe(FiniteSchema, v.minValue(0)), paused: v.optional(v.boolean()) },
    result: v.object({ t: FiniteSchema, paused: v.boolean(), inputs: CountSchema, rebuildMs: FiniteSchema }),
  },
  // ---- samples (h19-sample: `sample PATH`) ----
  /**
   * An audio file dropped on the app, as base64 (at most
   * LIMITS.droppedSampleBytes): the host decodes it and keeps it for the
   * session under `name`, so `sample NAME` plays it. Reply: its id and length.
   */
  'add-sample': {
    params: { name: ScriptNameSchema, data: v.pipe(v.string(), v.maxLength(Math.ceil(LIMITS.droppedSampleBytes / 3) * 4)) },
    result: v.object({ id: v.string(), seconds: FiniteSchema }),
  },
  /**
   * A part of a session's decoded sample (`sample`: a voice's `sample.id`), for the
   * page's player: mono float32 little-endian samples as base64, from frame
   * `from`, at most LIMITS.sampleChunkFrames of them. Reply: its rate, its
   * whole length in frames, and the part.
   */
  'get-sample': {
    params: { sample: v.pipe(v.string(), v.maxLength(4096)), from: CountSchema },
    result: v.object({ sampleRate: FiniteSchema, frames: CountSchema, from: CountSchema, data: v.string() }),
  },
} as const;

export type RequestType = keyof typeof REQUESTS;
export const REQUEST_TYPES = Object.keys(REQUESTS) as RequestType[];

const requestBase = { id: RequestIdSchema };

/** Any request a renderer may send. `id` is chosen by the sender and echoed in the reply. */
export const RendererRequestSchema = v.variant('type', [
  v.object({ ...requestBase, type: v.literal('submit-line'), ...REQUESTS['submit-line'].params }),
  v.object({ ...requestBase, type: v.literal('load-script'), ...REQUESTS['load-script'].params }),
  v.object({ ...requestBase, type: v.literal('stop-source'), ...REQUESTS['stop-source'].params }),
  v.object({ ...requestBase, type: v.literal('interrupt-source'), ...REQUESTS['interrupt-source'].params }),
  v.object({ ...requestBase, type: v.literal('cancel-task'), ...REQUESTS['cancel-task'].params }),
  v.object({ ...requestBase, type: v.literal('stop-all'), ...REQUESTS['stop-all'].params }),
  v.object({ ...requestBase, type: v.literal('panic'), ...REQUESTS.panic.params }),
  v.object({ ...requestBase, type: v.literal('get-snapshot'), ...REQUESTS['get-snapshot'].params }),
  v.object({ ...requestBase, type: v.literal('export-audio'), ...REQUESTS['export-audio'].params }),
  v.object({ ...requestBase, type: v.literal('cancel-export'), ...REQUESTS['cancel-export'].params }),
  v.object({ ...requestBase, type: v.literal('save-session'), ...REQUESTS['save-session'].params }),
  v.object({ ...requestBase, type: v.literal('set-osc'), ...REQUESTS['set-osc'].params }),
  v.object({ ...requestBase, type: v.literal('list-examples'), ...REQUESTS['list-examples'].params }),
  v.object({ ...requestBase, type: v.literal('load-example'), ...REQUESTS['load-example'].params }),
  v.object({ ...requestBase, type: v.literal('set-speed'), ...REQUESTS['set-speed'].params }),
  v.object({ ...requestBase, type: v.literal('set-paused'), ...REQUESTS['set-paused'].params }),
  v.object({ ...requestBase, type: v.literal('step'), ...REQUESTS.step.params }),
  v.object({ ...requestBase, type: v.literal('inspect'), ...REQUESTS.inspect.params }),
  v.object({ ...requestBase, type: v.literal('explore'), ...REQUESTS.explore.params }),
  // replay from here (issue 20)
  v.object({ ...requestBase, type: v.literal('replay-from'), ...REQUESTS['replay-from'].params }),
  v.object({ ...requestBase, type: v.literal('add-sample'), ...REQUESTS['add-sample'].params }),
  v.object({ ...requestBase, type: v.literal('get-sample'), ...REQUESTS['get-sample'].params }),
]);
export type RendererRequest = v.InferOutput<typeof RendererRequestSchema>;
export type RequestOf<K extends RequestType> = Extract<RendererRequest, { type: K }>;
/** The parameters of a request: the request without `id` and `type`. */
export type ParamsOf<K extends RequestType> = Omit<RequestOf<K>, 'id' | 'type'>;
/** The value of a successful reply to a request of type K. */
export type ResultOf<K extends RequestType> = v.InferOutput<(typeof REQUESTS)[K]['result']>;

// ---- host → renderer: replies ---------------------------------------------

/** Why a request failed. */
export const ErrorCodeSchema = v.picklist([
  /** The message did not match the protocol (nothing happened). */
  'invalid-message',
  /** The sender is not allowed (foreign frame or origin, missing token). */
  'forbidden',
  /** A script did not parse (see `diagnostics`); nothing played. */
  'parse-error',
  /** The feature is not available on this host (e.g. no synthesiser yet). */
  'unavailable',
  /** The session has ended (quit); start a new one. */
  'session-ended',
  /** Anything else that went wrong on the host. */
  'failed',
]);
export type ErrorCode = v.InferOutput<typeof ErrorCodeSchema>;

export const HostErrorSchema = v.object({
  code: ErrorCodeSchema,
  message: v.string(),
  diagnostics: v.optional(v.array(DiagnosticSchema)),
});
export type HostError = v.InferOutput<typeof HostErrorSchema>;

/**
 * The answer to one request. `id` is the request's id, or null when the
 * request was so malformed that it had none.
 */
export const HostReplySchema = v.variant('ok', [
  v.object({ type: v.literal('reply'), id: v.nullable(RequestIdSchema), ok: v.literal(true), value: v.unknown() }),
  v.object({ type: v.literal('reply'), id: v.nullable(RequestIdSchema), ok: v.literal(false), error: HostErrorSchema }),
]);
export type HostReply = v.InferOutput<typeof HostReplySchema>;
export type ReplyOf<K extends RequestType> = { ok: true; value: ResultOf<K> } | { ok: false; error: HostError };

// ---- host → renderer: pushed messages -------------------------------------

/**
 * How the host's clock relates logical time to wall time, read at one moment:
 * at logical time `t` the session's wall clock read `wall` (seconds since the
 * session's clock started) and the host's Unix clock read `epochMs`. Event
 * `wall` stamps convert to host epoch ms as `epochMs + (event.wall - wall) * 1000`.
 */
export const ClockInfoSchema = v.object({
  t: FiniteSchema,
  wall: FiniteSchema,
  epochMs: FiniteSchema,
  /** Logical seconds per wall second (1 = real time). */
  speed: FiniteSchema,
  /** The clock is paused (set-paused) and stands at `t` until it continues. Absent: running. */
  paused: v.optional(v.boolean()),
});
export type ClockInfo = v.InferOutput<typeof ClockInfoSchema>;

export const HostMessageSchema = v.variant('type', [
  /**
   * Session events in the order they happened, gathered over a short time
   * (about one animation frame) or until the batch is full; never empty.
   */
  v.object({
    type: v.literal('events'),
    events: v.pipe(v.array(SessionEventSchema), v.minLength(1), v.maxLength(LIMITS.batchEvents)),
  }),
  /**
   * Everything a freshly attached renderer needs to carry on: sent on
   * (re)connect and after `get-snapshot`. Every later `events` batch is newer.
   * A renderer replaces its state with it (active notes, running tasks, the
   * recent timeline).
   */
  v.object({
    type: v.literal('snapshot'),
    protocol: v.literal(PROTOCOL_VERSION),
    /** Identifies the host's engine session; it stays the same across renderer reloads. */
    sessionId: NameSchema,
    snapshot: SessionSnapshotSchema,
    clock: ClockInfoSchema,
    /** The current script (see load-script), if any. */
    script: v.nullable(v.object({ name: NameSchema })),
    /** The example opened last (see load-example), so a reloaded page shows its story again. */
    example: v.optional(v.nullable(ExampleSchema)),
    /**
     * The session's older history: `chunked` events were sent just before this
     * snapshot as `history` messages (older than `snapshot.recent`, oldest
     * first); `dropped` older ones are gone (the host's history cap).
     */
    history: v.optional(v.object({ chunked: CountSchema, dropped: CountSchema })),
  }),
  /**
   * Part of the next snapshot's history, too large for one frame: events older
   * than that snapshot's `recent`, oldest first. A renderer keeps them until
   * the snapshot comes and checks their count against its `history.chunked`.
   */
  v.object({
    type: v.literal('history'),
    sessionId: NameSchema,
    /** Which chunk of its snapshot's history this is: 0 begins a new one (a snapshot asked for again restarts). */
    part: CountSchema,
    events: v.pipe(v.array(SessionEventSchema), v.minLength(1), v.maxLength(LIMITS.batchEvents)),
  }),
  /**
   * An example was opened (from the page, or Electron's Examples menu): show
   * its story and script next to the timeline.
   */
  v.object({ type: v.literal('example'), example: ExampleSchema }),
  /**
   * The host's clock changed speed (set-speed), paused or continued
   * (set-paused), read at the change: `clock.t` is the logical time from which
   * `clock.speed` holds (or at which it is paused). Events before it keep the
   * old speed; a renderer re-anchors its logical→audio mapping at `t`.
   */
  v.object({ type: v.literal('clock'), clock: ClockInfoSchema }),
  /**
   * A desktop menu item that opens one of the page's own controls, so that the
   * menu and the page ask the same questions: Export Audio… opens the page's
   * chooser of what to export (the terminal session, one script, everything).
   */
  v.object({ type: v.literal('menu'), action: v.picklist(['export-audio']) }),
  /**
   * Replay from here (replay-from): the session was rebuilt at logical time
   * `t` and goes on from there (paused, or not). A renderer forgets what it
   * shows; the snapshot that follows is its whole timeline (the events up to
   * `t`), and the events after it what follows.
   */
  v.object({ type: v.literal('replayed'), t: FiniteSchema, paused: v.boolean() }),
  /** Something the user should read that is not a session event (e.g. "saved to …" after a menu action). */
  v.object({ type: v.literal('notice'), level: v.picklist(['info', 'error']), text: v.string() }),
  /**
   * The inspector, after each pause and each step (in order after the events
   * the step made); null when the clock continues.
   */
  v.object({ type: v.literal('inspector'), inspector: v.nullable(InspectorSchema) }),
]);
export type HostMessage = v.InferOutput<typeof HostMessageSchema>;
export type HostMessageOf<K extends HostMessage['type']> = Extract<HostMessage, { type: K }>;

/** Everything a web-mode socket carries from the host: pushed messages and replies. */
export const HostFrameSchema = v.union([HostMessageSchema, HostReplySchema]);
export type HostFrame = HostMessage | HostReply;

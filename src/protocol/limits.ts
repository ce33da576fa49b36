/**
 * Bounds on what a renderer may send. Bad input never crashes the host: a
 * message outside them is answered with an `invalid-message` error.
 */
export const LIMITS = {
  /** One typed line, in UTF-16 code units. */
  lineLength: 64 * 1024,
  /** A source or file name. */
  nameLength: 1024,
  /**
   * A script's text, in UTF-16 code units (1 MiB: some 50,000 lines). Checking
   * a script costs time in proportion to its errors; 4.4 MB of them once held
   * the host for 17 s.
   */
  scriptLength: 1024 * 1024,
  /** An audio file dropped on the app (add-sample), bytes: sent as base64 in one frame, well under a frame's limit. */
  droppedSampleBytes: 4 * 1024 * 1024,
  /** Frames of a sample's PCM in one get-sample reply (1 MiB of floats, some 1.4 MB of base64). */
  sampleChunkFrames: 256 * 1024,
  /** Events in one host batch. */
  batchEvents: 10_000,
  /** A raw frame from a renderer (web mode), bytes. */
  frameBytes: 16 * 1024 * 1024,
  /**
   * A raw frame from the host, characters: room for a WAV inline as base64
   * (10 minutes at 48 kHz is ~77 MB), the `download` shape; web mode itself
   * now sends exported audio as a `link` to fetch over HTTP.
   */
  hostFrameChars: 128 * 1024 * 1024,
} as const;

/**
 * The interleaving explorer in the app (the `explore` request): it runs on the
 * host's thread, so its budget is smaller than the CLI's, and each run stops
 * at a logical time (a script that loops forever).
 */
export const EXPLORE_LIMITS = {
  /** Orders run when the request names no budget, and the most it may name. */
  defaultBudget: 200,
  maxBudget: 2000,
  /** Logical seconds each run goes to. */
  seconds: 60,
  /** Distinct outcomes listed; of those, the first `drawnOutcomes` come with their events (to draw and play). */
  outcomes: 50,
  drawnOutcomes: 8,
  /**
   * Events (and changes of the notes) sent per outcome; the rest are counted,
   * not sent. With the above, a reply stays under some 10 MB (web mode's
   * socket closes on a page 16 MiB behind).
   */
  events: 2_500,
  /** Choices of an outcome's order listed. */
  orderShown: 20,
} as const;

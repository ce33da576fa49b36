/**
 * The contract between `bench/run.ts` and a benchmark module. A module is a
 * file `bench/<id>.ts` whose default export is a `BenchModule`; run.ts lists
 * the ids it knows and skips any whose file does not exist yet, so a section
 * appears in BENCHMARKS.md as soon as its module lands.
 */
export interface BenchContext {
  /** Repository root (absolute). */
  root: string;
  /** `--quick`: fewer and smaller runs, for checking that a module works; figures are not for the record. */
  quick: boolean;
  /** Progress line on stderr (stdout stays clean). */
  log(message: string): void;
}

export interface BenchRow {
  /** What was measured, in words a reader understands. */
  name: string;
  value: number;
  unit: string;
  /** The target the figure is held to, in words (e.g. "≥ 18 M/s"), if there is one. */
  target?: string;
  /** Whether the target was met (undefined when there is none). */
  met?: boolean;
}

export interface BenchSection {
  /** Markdown for the section body (no heading: run.ts adds `## title`). */
  markdown: string;
  /** The headline figures, for the summary table at the top. */
  rows: BenchRow[];
}

export interface BenchModule {
  /** Heading of the section in BENCHMARKS.md. */
  title: string;
  /** Measures and describes. Returns null, with a reason logged, when what it measures is not there yet. */
  run(ctx: BenchContext): Promise<BenchSection | null>;
}

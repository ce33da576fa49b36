import { parseArgs } from 'node:util';
import { readOscTarget, type OscTarget } from '../osc/osc-out';

export const USAGE = `Usage: corotone [SCRIPT...|-] [options]
       corotone web [--port N]

Plays note scripts: each SCRIPT (or standard input, "-") is a source whose
lines run one after another; several scripts run concurrently.

Output (choose one; without one, notes are logged live to standard error):
  --wav FILE         render offline to a 16-bit stereo WAV, as fast as possible
  --rate N           WAV sample rate: 44100 or 48000 (default 48000)
  --raw              write the demo's PCM (8000 Hz, unsigned 8-bit, mono) to
                     standard output, paced by the real clock, e.g.
                     corotone song.txt --raw | play -t raw -r 8000 -c 1 -b 8 -e unsigned -
  --offline          with --raw: write as fast as possible instead
  --exact            the demo's arithmetic bit for bit (one note set, 0.8/N, hard switches)
  --midi FILE        also write the notes as a Standard MIDI File: a track per
                     source, live loop and named task; 960 ticks a beat, the
                     tempo map of the first script's bpm; note N is MIDI's N+12
  --osc HOST:PORT    play live and send each note's start and end over UDP as
                     OSC bundles timestamped with their logical time, --latency
                     early (to scsynth or any OSC receiver; see the README)

Inspection:
  --trace FILE       write the task timeline as Chrome Trace Event JSON
                     (open it in Perfetto or chrome://tracing)
  --events           write note and task events as JSON lines to standard output
  --check            parse only and report the errors (the first 100 of a
                     file, then how many more); run nothing
  --to-python FILE   write SCRIPT as a Python asyncio program (python3 FILE
                     plays it; python3 FILE --events prints these events)
  --step             a debugger on the virtual clock, as pdb: commands from
                     standard input (s n c b LINE l ID ready timers tree q)
  --interleavings    run SCRIPT under the other orders of its same-instant
                     ready tasks and print each distinct outcome
  --budget N         with --interleavings: at most N orders (default 200)

Behaviour:
  --until SECONDS    offline: stop at this logical time (for scripts that loop)
  --strict           stop a source at its first error, exit code 1
  --latency MS       --raw and --osc live: how far output trails the clock
                     (default 100)
  --lag-threshold MS report a resumption later than this (default 20)
  --speed X          live: play logical time at X times real time (0.25 =
                     quarter speed, to watch a lesson in slow motion)
  -h, --help         show this help
  -v, --version      print the version

Exit codes: 0 ok, 1 errors in the script (with --strict or --check), 2 usage,
3 a file not read or written, 130/143 stopped by SIGINT/SIGTERM.`;

export interface CliOptions {
  scripts: string[];
  wav: string | null;
  midi: string | null;
  osc: OscTarget | null;
  rate: number;
  raw: boolean;
  offline: boolean;
  exact: boolean;
  trace: string | null;
  events: boolean;
  check: boolean;
  toPython: string | null;
  step: boolean;
  interleavings: boolean;
  budget: number;
  strict: boolean;
  until: number | null;
  latencyMs: number;
  lagThresholdMs: number;
  speed: number;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const RATES = [44100, 48000];
/** --interleavings: orders tried unless --budget says otherwise, and the most it may say. */
export const DEFAULT_BUDGET = 200;
export const MAX_BUDGET = 100_000;

/** Parses the command line; throws UsageError with a one-line message. */
export function parseCliArgs(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        wav: { type: 'string' },
        midi: { type: 'string' },
        osc: { type: 'string' },
        rate: { type: 'string' },
        raw: { type: 'boolean' },
        offline: { type: 'boolean' },
        exact: { type: 'boolean' },
        trace: { type: 'string' },
        events: { type: 'boolean' },
        check: { type: 'boolean' },
        'to-python': { type: 'string' },
        step: { type: 'boolean' },
        interleavings: { type: 'boolean' },
        budget: { type: 'string' },
        strict: { type: 'boolean' },
        until: { type: 'string' },
        latency: { type: 'string' },
        'lag-threshold': { type: 'string' },
        speed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError(describeParseError(error as Error, argv));
  }
  const v = parsed.values;
  const options: CliOptions = {
    scripts: parsed.positionals,
    wav: v.wav ?? null,
    midi: v.midi ?? null,
    osc: v.osc === undefined ? null : parseOscTarget(v.osc),
    rate: v.rate === undefined ? 48000 : Number(v.rate),
    raw: v.raw ?? false,
    offline: v.offline ?? false,
    exact: v.exact ?? false,
    trace: v.trace ?? null,
    events: v.events ?? false,
    check: v.check ?? false,
    toPython: v['to-python'] ?? null,
    step: v.step ?? false,
    interleavings: v.interleavings ?? false,
    budget: v.budget === undefined ? DEFAULT_BUDGET : numberOption('--budget', v.budget),
    strict: v.strict ?? false,
    until: v.until === undefined ? null : numberOption('--until', v.until),
    latencyMs: v.latency === undefined ? 100 : numberOption('--latency', v.latency),
    lagThresholdMs: v['lag-threshold'] === undefined ? 20 : numberOption('--lag-threshold', v['lag-threshold']),
    speed: v.speed === undefined ? 1 : numberOption('--speed', v.speed),
    help: v.help ?? false,
    version: v.version ?? false,
  };
  if (options.help || options.version) return options;
  if (!(options.speed > 0)) throw new UsageError(`--speed must be more than 0, not ${v.speed}`);
  if (!RATES.includes(options.rate)) throw new UsageError(`--rate must be 44100 or 48000, not ${JSON.stringify(v.rate)}`);
  if (v.rate !== undefined && options.wav === null) throw new UsageError('--rate goes with --wav');
  if (options.offline && !options.raw) throw new UsageError('--offline goes with --raw');
  if (options.raw && options.wav !== null) throw new UsageError('choose one output: --raw or --wav');
  if (options.raw && options.events) throw new UsageError('--raw and --events both write to standard output; choose one');
  if (options.osc !== null && (options.wav !== null || options.offline)) throw new UsageError('--osc plays live; an offline render (--wav, --offline) goes as fast as the machine allows');
  if (options.check && (options.raw || options.wav !== null || options.midi !== null || options.osc !== null || options.events || options.trace !== null)) {
    throw new UsageError('--check only parses; it takes no output option');
  }
  if (options.scripts.filter((s) => s === '-').length > 1) throw new UsageError('standard input ("-") can be read only once');
  if (options.check && options.scripts.length === 0) throw new UsageError('--check needs a SCRIPT');
  if (options.toPython !== null && (options.check || options.raw || options.wav !== null || options.midi !== null || options.osc !== null || options.events || options.trace !== null)) {
    throw new UsageError('--to-python only writes the program; it takes no other output option');
  }
  if (options.toPython !== null && options.scripts.length !== 1) throw new UsageError('--to-python takes one SCRIPT');
  checkDebugging(options, v.budget);
  return options;
}

/** --step and --interleavings run on the virtual clock and print to the terminal: no other mode or output goes with them. */
function checkDebugging(options: CliOptions, budget: string | undefined): void {
  if (budget !== undefined && !options.interleavings) throw new UsageError('--budget goes with --interleavings');
  if (options.interleavings && !(Number.isInteger(options.budget) && options.budget >= 1 && options.budget <= MAX_BUDGET)) {
    throw new UsageError(`--budget takes a whole number of orders from 1 to ${MAX_BUDGET.toLocaleString('en-US')}, not ${budget}`);
  }
  const mode = options.step ? '--step' : options.interleavings ? '--interleavings' : null;
  if (mode === null) return;
  if (options.step && options.interleavings) throw new UsageError('choose one: --step or --interleavings');
  if (options.check || options.raw || options.wav !== null || options.events || options.trace !== null || options.toPython !== null || options.midi !== null || options.osc !== null) {
    throw new UsageError(`${mode} runs on the virtual clock and prints to the terminal; it takes no output option`);
  }
  if (options.scripts.length === 0 || (options.step && options.scripts.includes('-'))) {
    throw new UsageError(`${mode} needs a SCRIPT file${options.step ? ' (standard input brings its commands)' : ''}`);
  }
}

/** `HOST:PORT` (an IPv6 address in brackets: `[::1]:57120`). */
export function parseOscTarget(text: string): OscTarget {
  const target = readOscTarget(text);
  if (target === null) {
    throw new UsageError(`--osc takes HOST:PORT, like 127.0.0.1:57120 (SuperCollider's language) or 127.0.0.1:57110 (its server), not "${text}"`);
  }
  return target;
}

function numberOption(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`${name} takes a number of 0 or more, not "${text}"`);
  }
  return value;
}

/** parseArgs's message in one line; for a value that starts with a dash (`--until -1`), what it is and how to pass it. */
function describeParseError(error: Error, argv: string[]): string {
  const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(error.message);
  if (ambiguous !== null) {
    const option = ambiguous[1];
    const value = argv[argv.indexOf(option) + 1] ?? '';
    return `${option} takes a value, and "${value}" looks like an option (if it is the value, write ${option}=${value})`;
  }
  return firstLine(error.message);
}

function firstLine(text: string): string {
  return text.split('\n')[0].replace(/\. To specify a positional argument.*$/, '.');
}

import type { Invocation } from '../language/command';
import type { PythonForm } from '../python/form';
import { pyComment, pyString } from '../python/quote';
import { playSeconds } from '../synth/sample-bank';
import { secondsToNs } from '../time';

/** What `sample` parsed: the path as written, and how to play it. */
export interface SampleArgs {
  path: string;
  /** The script's folder as its name gives it ('' for none): the Python form's paths start there. */
  folder: string;
  level?: number;
  pan?: number;
  rate?: number;
  start: number;
  end: number;
  loop: boolean;
}

/**
 * `sample PATH` in Python: the program reads a WAV file with the standard
 * library's `wave` (its length gives the voice's, as corotone's decoded file
 * does) and plays it through the demo's 8 kHz stream; a FLAC, OGG or MP3 file
 * needs a decoder the standard library lacks, so it is a marked comment there.
 * Either way the line waits as corotone's does, so --events match for a WAV.
 */
const PRELUDE = String.raw`_sample_sounds = {}  # (path, start, end, rate): (its length in ns, its samples at the stream's 8 kHz)


def sample(path, start=0, end=1, rate=1, loop=False):
    """sample PATH: a WAV file as a voice of this task for its own length (not a note); loop: until the task ends."""
    length_ns, sound = _sample_sound(path, start, end, rate)
    notes.hit(math.inf if loop else length_ns, None if EVENTS or loop else sound)


def sample_unplayed(length_ns):
    """sample PATH of a kind the standard library cannot decode: its voice for its length, silent."""
    notes.hit(length_ns)


async def sample_loop(path, start=0, end=1, rate=1):
    """sample PATH loop: held until this task is cancelled (played once live: the stream plays no loops)."""
    sample(path, start, end, rate, loop=True)
    while True:
        await asyncio.sleep(3600)


def _sample_sound(path, start, end, rate, sample_rate=8000):
    """The file's length (ns, as corotone counts it) and its part start..end at 8 kHz, read with the wave module."""
    key = (path, start, end, rate)
    if key not in _sample_sounds:
        import wave
        with wave.open(path, "rb") as w:
            width, channels, file_rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
            raw = w.readframes(w.getnframes())
        frames = len(raw) // (width * channels)
        scale, bias = (128.0, 128) if width == 1 else (float(1 << (8 * width - 1)), 0)
        mono = [sum((int.from_bytes(raw[(i * channels + c) * width:(i * channels + c + 1) * width], "little", signed=width > 1) - bias) / scale for c in range(channels)) / channels for i in range(frames)]
        length_ns = max(1, math.floor((end - start) * (frames / file_rate) / rate * 1e9 + 0.5))
        first = math.floor(start * frames)
        part = mono[first:max(first + 1, math.ceil(end * frames))]
        step = rate * file_rate / sample_rate
        n = max(1, int((len(part) - 1) / step) + 1)
        _sample_sounds[key] = (length_ns, [part[min(int(i * step), len(part) - 1)] for i in range(n)])
    return _sample_sounds[key]`;

function argsOf(args: SampleArgs, path: string): string {
  const extra = [args.start !== 0 ? `start=${args.start}` : '', args.end !== 1 ? `end=${args.end}` : '', args.rate !== undefined && args.rate !== 1 ? `rate=${args.rate}` : ''].filter((a) => a !== '');
  return [pyString(path), ...extra].join(', ');
}

/**
 * `sample("folder/kick.wav")` (the path as corotone resolves it: from the
 * script's folder, so the program runs from where corotone ran); a loop is
 * `await sample_loop(...)`, held until cancelled. amp= and pan= shape
 * corotone's sound only (a warning says so).
 */
export const samplePython: PythonForm<SampleArgs, Invocation> = {
  prelude: PRELUDE,
  waits: (args) => args.loop,
  write(args, py) {
    py.options(Object.fromEntries(Object.entries({ amp: args.level, pan: args.pan }).filter(([, value]) => value !== undefined)));
    const path = args.folder === '' ? args.path : `${args.folder}/${args.path}`;
    if (!/\.wav$/i.test(args.path)) {
      const why = `${args.path} is not a WAV file, and Python's standard library decodes no other kind (corotone plays it: WAV, FLAC, OGG, MP3)`;
      const seconds = py.known.sampleSeconds?.(args.path);
      if (seconds === undefined || args.loop) {
        py.unfaithful(why);
        return;
      }
      // Its length is known (corotone decoded it): its voice is there for as long, silent, so --events match.
      py.warn(`not played: ${why}; its voice is kept, silent, for its length`);
      py.line(pyComment(`# NOT PLAYED (corotone: ${py.text}): ${why}`));
      py.line(`sample_unplayed(${secondsToNs(playSeconds({ seconds }, args, args.rate))})`);
      return;
    }
    if (args.loop) {
      py.line(pyComment(`# corotone loops ${args.path} until the task ends; the program holds its voice as long, and plays it once live`));
      py.line(`await sample_loop(${argsOf(args, path)})`);
    } else py.line(`sample(${argsOf(args, path)})`);
  },
};

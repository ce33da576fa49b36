/** The words an exported program uses itself, which a phrase's name must not take. */
const TAKEN = new Set([
  // Python's keywords and the built-ins the program uses
  ...'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case'.split(' '),
  ...'print range len list set dict str int float sum sorted next type object super RuntimeError TimeoutError Exception'.split(' '),
  // modules and the program's own names
  ...'asyncio contextvars sys time json math os heapq selectors threading'.split(' '),
  ...'main chord beep notes loop run machine SOURCE EVENTS frequency Notes Machine Speaker OrderedTimer VirtualSelector VirtualTimeLoop run_on_virtual_clock until_every_task_ends'.split(' '),
  ...'tg task racers done pending winner results error errors'.split(' '),
  ...'bpm tempo own_tempo use_bpm beats choose rand tick tick_counts chance Chance live live_loop live_bodies live_tasks line'.split(' '),
]);

/** Whether a word is Python's or the program's own (a parameter so named gets a trailing `_`). */
export function isTaken(name: string): boolean {
  return TAKEN.has(name);
}

/** Python names for a script's phrases and tasks: `countdown-a` is `countdown_a`; a clash gets a trailing `_`. */
export class PythonNames {
  private readonly used = new Set<string>();

  /** A fresh name as close to `name` as Python and the names already given allow. */
  claim(name: string): string {
    let base = name.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(base)) base = `_${base}`;
    if (TAKEN.has(base) || /^(t\d+|part_\d+|t\d+_body)$/.test(base)) base = `${base}_`;
    let candidate = base;
    for (let i = 2; this.used.has(candidate); i++) candidate = `${base}_${i}`;
    this.used.add(candidate);
    return candidate;
  }
}

import type { Invocation } from '../language/command';
import { Deferred } from '../language/deferred';
import type { PythonForm, PythonValues } from '../python/form';
import { pyString } from '../python/quote';

/** amp, env and synth: a marked comment, since the program plays plain tones. */
export function soundOnly(name: string): PythonForm<unknown, Invocation> {
  return {
    write(_args, py) {
      py.unfaithful(`${name} shapes corotone's sound only; the program plays plain tones (the compared note events carry no levels)`);
    },
  };
}

const OPTION_NAMES: Record<string, string> = { level: 'amp', envelope: 'env', timbre: 'synth' };

/**
 * The note options drawn as the note starts (`amp=rand(0.05,0.2)`,
 * `synth=choose(saw,square)`), as Python keywords. The program plays plain
 * tones and leaves them unused, but it draws them, in corotone's order, so
 * the seeded chance after them stays the same.
 */
export function drawnOptions(options: object | undefined, py: PythonValues): string[] {
  if (options === undefined) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (!(value instanceof Deferred)) continue;
    const name = OPTION_NAMES[key] ?? key;
    const e = value.expr;
    if (value.kind === 'choice' && e.kind === 'choose') {
      py.need('chance');
      out.push(`${name}=choose(${(value.limits.choices ?? []).map(pyString).join(', ')})`);
    } else out.push(`${name}=${py.value(value)}`);
  }
  return out;
}

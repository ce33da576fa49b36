import type { Invocation } from '../language/command';
import type { PythonForm } from '../python/form';
import { pyComment } from '../python/quote';
import type { EffectArg } from './fx-args';

/**
 * fx as a marked comment: audio effects have no faithful form in a program of
 * plain tones. An effect that draws chance still draws it (a bare expression),
 * so the notes after it draw what corotone's draw and the events stay equal.
 */
export const fxPython: PythonForm<EffectArg, Invocation> = {
  write(effect, py) {
    py.unfaithful("fx shapes corotone's sound only: audio effects have no form in a program of plain tones");
    if (effect === 'off') return;
    for (const [key, value] of Object.entries(effect)) {
      if (!py.drawsChance(value)) continue;
      py.line(`${key === 'ns' ? py.duration(value) : py.value(value)}  # the chance of ${pyComment(py.text)}, drawn as corotone draws it`);
    }
  },
};

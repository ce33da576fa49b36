import type { Invocation } from '../language/command';
import type { PythonForm } from '../python/form';

/** amp, env and synth: a marked comment, since the program plays plain tones. */
export function soundOnly(name: string): PythonForm<unknown, Invocation> {
  return {
    write(_args, py) {
      py.unfaithful(`${name} shapes corotone's sound only; the program plays plain tones (the compared note events carry no levels)`);
    },
  };
}

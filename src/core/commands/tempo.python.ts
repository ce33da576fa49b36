import type { Invocation } from '../language/command';
import { pySeconds } from '../python/code';
import type { PythonForm } from '../python/form';

export const bpmPython: PythonForm<{ units: number }, Invocation> = {
  write({ units }, py) {
    py.line(`use_bpm(${pySeconds(units)})`);
  },
};

export const seedPython: PythonForm<number, Invocation> = {
  write(seed, py) {
    py.need('chance');
    py.line(`chance.seed(${seed})`);
  },
};

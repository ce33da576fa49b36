import type { Invocation } from '../language/command';
import type { PythonForm } from '../python/form';

/** `A; B` (eval, a body with `;`): the parts as statements one after another. */
export const sequencePython: PythonForm<Invocation[], Invocation> = {
  write(parts, py) {
    for (const part of parts) py.part(part);
  },
  children: (parts) => parts,
};

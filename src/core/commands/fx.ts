import { commandError, defineCommand, INVALID } from '../language/command';
import { chainError, withEffect } from '../stream/fx';
import { FX_NAMES, FX_USAGE, readEffect, settleEffect } from './fx-args';
import { chainFor, setOption } from './voices';
import { fxPython } from './fx.python';

// Effects: `fx NAME ARGS` sets an effect in the chain the notes this task starts from now on go
// through (replacing one of its kind, else added at the end), as amp/env/synth set their level,
// envelope and timbre; `fx off` empties it.

export const fx = defineCommand({
  name: 'fx',
  python: fxPython,
  usage: FX_USAGE,
  example: 'fx reverb 0.6',
  summary:
    "add an effect (or change the one of its kind) to this task's notes from now on: reverb ROOM, delay TIME FEEDBACK, lpf|hpf HZ [res=Q], distort AMOUNT; fx off for none",
  parse(r, ctx) {
    return readEffect(r, ctx);
  },
  *run(effect, ctx, invocation) {
    if (effect === 'off') {
      setOption(ctx, { fx: [] });
      return;
    }
    const chain = withEffect(chainFor(ctx), settleEffect(effect));
    const problem = chainError(chain);
    if (problem !== null) throw commandError(invocation, { message: `fx: ${problem}`, found: invocation.text, expected: `${FX_NAMES}, within range`, hint: 'fx off empties the chain' });
    setOption(ctx, { fx: chain });
  },
});

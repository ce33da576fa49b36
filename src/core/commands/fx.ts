import { commandError, defineCommand, INVALID } from '../language/command';
import { chainError, MAX_CHAIN_EFFECTS } from '../stream/fx';
import { FX_NAMES, FX_USAGE, readEffect } from './fx-args';
import { chainFor, setOption } from './voices';
import { soundOnly } from './voices.python';

// Effects: `fx NAME ARGS` adds an effect to the chain the notes this task starts from now on go
// through, as amp/env/synth set their level, envelope and timbre; `fx off` empties it.

export const fx = defineCommand({
  name: 'fx',
  python: soundOnly('fx'),
  usage: FX_USAGE,
  example: 'fx reverb 0.6',
  summary:
    `add an effect to the chain of the notes this task starts from now on: reverb ROOM, delay TIME FEEDBACK, lpf HZ [res=Q], hpf HZ [res=Q], distort AMOUNT; fx off empties it (at most ${MAX_CHAIN_EFFECTS}); a note's own: fx=lpf:800`,
  parse(r) {
    return readEffect(r);
  },
  *run(effect, ctx, invocation) {
    if (effect === 'off') {
      setOption(ctx, { fx: [] }, 'task');
      return;
    }
    const chain = [...chainFor(ctx), effect];
    const problem = chainError(chain);
    if (problem !== null) throw commandError(invocation, { message: `fx: ${problem}`, found: invocation.text, expected: `${FX_NAMES}, within range`, hint: 'fx off empties the chain' });
    setOption(ctx, { fx: chain }, 'task');
  },
});

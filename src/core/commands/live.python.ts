import type { Invocation } from '../language/command';
import type { PythonForm } from '../python/form';
import { pyString } from '../python/quote';

/**
 * `await live("drums", lambda: ..., cue_drums)`: the first starts the loop's task, a later one
 * hands it the new body; each pass sets the loop's cue (Sonic Pi's live_loop cues its name).
 */
export const livePython: PythonForm<{ name: string; body: Invocation }, Invocation> = {
  write({ name, body }, py) {
    py.need('live');
    const call = py.call(body);
    const fn = call !== null ? `lambda: ${call}` : py.coroutine(body, py.claim(`${name}_pass`)).replace(/\(\)$/, '');
    py.line(`await live(${pyString(name.toLowerCase())}, ${fn}, ${py.cue(name.toLowerCase())})`);
    if (!py.waits(body)) {
      py.warn(`live ${name}: "${body.text}" may never wait; on the virtual clock (--events) the loop fails after such a pass, as corotone's does, but played live it would hold the event loop`, body);
    }
  },
  children: ({ body }) => [body],
  waits: () => false,
};

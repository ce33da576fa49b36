/**
 * An AudioWorklet module made from source text (the limiter's and the
 * effects' processors are written as functions and sent as text, so the app
 * and the tests load exactly that code), loaded once per context.
 */
export function workletLoader(source: string): (context: BaseAudioContext) => Promise<void> {
  const loaded = new WeakMap<BaseAudioContext, Promise<void>>();
  return (context) => {
    let done = loaded.get(context);
    if (done === undefined) {
      const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      done = context.audioWorklet.addModule(url).finally(() => URL.revokeObjectURL(url));
      loaded.set(context, done);
    }
    return done;
  };
}

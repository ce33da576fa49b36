/**
 * Chromium features the shell turns off before the app is ready.
 *
 * DeferRendererTasksAfterInput: after a discrete input (a key, a click)
 * Chromium holds the page's network and message tasks until the next frame is
 * drawn, which is what a typed line's note comes back as: measured in web mode,
 * the note waited 8 ms (p50) to 22 ms (p99) on its way from the host to the
 * page, against under 2 ms with the feature off (`npm run bench -- app/latency`,
 * BENCHMARKS.md). An instrument wants the note before the echo of its key.
 */
export const DISABLED_CHROMIUM_FEATURES: readonly string[] = ['DeferRendererTasksAfterInput'];

/** The part of Electron's `app.commandLine` this uses. */
export interface CommandLineLike {
  getSwitchValue(name: string): string;
  appendSwitch(name: string, value?: string): void;
}

/** Add DISABLED_CHROMIUM_FEATURES to `--disable-features`, keeping any the command line already disables. */
export function disableChromiumFeatures(commandLine: CommandLineLike): void {
  const already = commandLine
    .getSwitchValue('disable-features')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const all = [...already, ...DISABLED_CHROMIUM_FEATURES.filter((f) => !already.includes(f))];
  commandLine.appendSwitch('disable-features', all.join(','));
}

/** The same, as arguments for a Chromium the tests and benchmarks start. */
export function chromiumFeatureArgs(): string[] {
  return [`--disable-features=${DISABLED_CHROMIUM_FEATURES.join(',')}`];
}

import { removeTempFilesSync } from '../files/atomic-write';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * On SIGINT or SIGTERM, remove the temporary files being written (a `--wav`
 * stopped mid-render left its `.NAME.PID.RANDOM.tmp`, 94–246 MB), then die of
 * the same signal as if it had not been caught: the old file under the name
 * is intact, and a shell sees the conventional status (130 for SIGINT, 143
 * for SIGTERM). Returns a function that takes the handlers off again.
 */
export function removeTempFilesOnSignal(): () => void {
  const uninstall = (): void => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    removeTempFilesSync();
    uninstall();
    // Dying of the signal skips Node's own reset of the terminal: leave it as the shell needs it.
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    // With no listener left, the signal's default action ends the process.
    process.kill(process.pid, signal);
  }
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return uninstall;
}

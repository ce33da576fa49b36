/**
 * Live play that lags all the time: `repeat 1000 spawn loop beep 60 0.001`
 * once printed 476,992 "loop lag" lines (25 MB) in 7.6 s.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDir } from '../../support/files/nodes';
import { runCli } from '../../support/run-cli';

describe('corotone played live, lagging', () => {
  it('prints at most about one loop-lag line a second', async () => {
    const script = join(freshDir('corotone-lag-'), 'lag.txt');
    writeFileSync(script, 'repeat 20 spawn loop beep 60 0.001\nwait 1\nquit\n');
    const started = Date.now();
    // A threshold of 0 ms: every resumption that runs at all late is a lag, on any machine.
    const { code, stderr } = await runCli(['--lag-threshold', '0', script]);
    const seconds = (Date.now() - started) / 1000;
    expect(code).toBe(0);
    const lagLines = stderr.split('\n').filter((l) => l.includes('loop lag'));
    expect(lagLines.length).toBeGreaterThan(0);
    // One line a second at most, whatever the machine's speed (the run's own wall time bounds it).
    expect(lagLines.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
  });
});

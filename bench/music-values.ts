// CPU time of 100,000 commands on the virtual clock with durations in beats, phrase-free: what resolving a value costs.
// node --import tsx bench/music-values.ts   (best of 5, process CPU time, so the machine's load matters less)
import { Session } from '../src/core/session/session';
function time(script: string): number {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const s = new Session();
    const c0 = process.cpuUsage();
    s.loadScript('b.txt', script);
    s.scheduler.runUntilIdle();
    const c = process.cpuUsage(c0); best = Math.min(best, (c.user + c.system) / 1000);
  }
  return best;
}
for (const [name, script] of [
  ['repeat 100000 wait 1', 'repeat 100000 wait 1'],
  ['bpm 90; repeat 100000 wait 1', 'bpm 90\nrepeat 100000 wait 1'],
  ['repeat 100000 beep 60 0.01', 'repeat 100000 beep 60 0.01'],
  ['repeat 100000 beep choose(C5,E5) rand(0.01,0.02)', 'repeat 100000 beep choose(C5,E5) rand(0.01,0.02)'],
]) console.log(`${name}: ${time(script).toFixed(1)} ms`);

// Engine figures of one checkout, for a before/after comparison of a refactor:
//   node --import tsx bench/tree-compare.ts PATH-TO-CHECKOUT
// (CPU ms of a resumption-heavy script on the virtual clock, and of rendering the demo 60 times at 48 kHz).
import { readFileSync } from 'node:fs';

const root = process.argv[2];
const { Session } = await import(`${root}/src/core/session/session.ts`);
const { changesFromStreamEvents, renderToS16 } = await import(`${root}/src/core/synth/render.ts`);
function cpu(f: () => void): number { const a = process.cpuUsage(); f(); const b = process.cpuUsage(a); return (b.user + b.system) / 1000; }
// 1. the language and scheduler: 1,000 looped beeps for 20 s of logical time (a resumption-heavy script)
let resumptions = 0;
const schedMs = cpu(() => {
  const s = new Session();
  s.loadScript('loops.txt', 'repeat 1000 spawn loop beep 60 0.01; wait 0.01\n');
  s.scheduler.runUntilIdle(20);
  resumptions = (s.scheduler as { resumptions?: number }).resumptions ?? 0;
});
// 2. offline render: the demo played 60 times (10 minutes) to 48 kHz samples
const demo = readFileSync(`${root}/resources/commands.txt`, 'utf8').replace(/^quit.*$/m, '');
const s = new Session();
const events: { type: string }[] = [];
s.subscribe((e: { type: string }) => { if (e.type === 'notes' || e.type === 'stream-end') events.push(e); });
s.loadScript('demo.txt', `repeat 60 eval ${demo.split('\n').filter((l) => l.trim() && !l.startsWith('#')).join('; ')}\n`);
s.scheduler.runUntilIdle(700);
const { changes } = changesFromStreamEvents(events);
const endNs = 600e9;
const renderMs = cpu(() => renderToS16(changes, endNs, {}));
console.log(JSON.stringify({ schedMs, resumptions, renderMs, renderX: 600 / (renderMs / 1000), notes: events.length }));

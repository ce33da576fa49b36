/**
 * Synth section: how many times faster than real time a long script renders
 * offline at 48 kHz, end to end (script on the virtual clock, then the synth).
 * Skipped while src/core/synth is not there.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runJson } from './lib/child';
import { CompiledTree } from './lib/compile';
import { fixed, mb, median, table } from './lib/stats';
import type { BenchContext, BenchModule, BenchSection } from './lib/types';

interface RenderResult {
  repeats: number;
  rate: number;
  audioS: number;
  bytes: number;
  changes: number;
  scriptS: number[];
  renderS: number[];
}

const TARGET = 500;

async function run(ctx: BenchContext): Promise<BenchSection | null> {
  if (!existsSync(path.join(ctx.root, 'src/core/synth/index.ts')) || !existsSync(path.join(ctx.root, 'src/core/session/index.ts'))) {
    ctx.log('synth: src/core/synth or src/core/session is not there yet');
    return null;
  }
  const repeats = ctx.quick ? 6 : 60;
  const runs = ctx.quick ? 2 : 5;
  const rate = 48000;
  const tree = new CompiledTree(ctx.root, ['src/core', 'bench/workers/render.ts']);
  try {
    ctx.log(`synth: the demo script x${repeats} at ${rate} Hz, ${runs} runs`);
    const result = runJson<RenderResult>(
      process.execPath,
      [tree.output('bench/workers/render.ts'), path.join(ctx.root, 'resources/commands.txt'), String(repeats), String(rate), String(runs)],
      { cwd: ctx.root, timeoutMs: 180_000 },
    );
    if (!result.ok || result.value === null) throw new Error(result.error);
    const r = result.value;
    const totals = r.scriptS.map((s, i) => s + r.renderS[i]);
    const endToEnd = r.audioS / median(totals);
    const renderOnly = r.audioS / median(r.renderS);
    const scriptOnly = r.audioS / median(r.scriptS);
    const minutes = r.audioS / 60;
    const markdown = [
      `The demo's \`resources/commands.txt\` played ${r.repeats} times in a row (its \`quit\` only at the end): ` +
        `${fixed(minutes, 2)} minutes of music, ${r.changes} changes of the sounding set. A \`Session\` runs the script on the ` +
        `virtual clock (\`runUntilIdle()\`), the frequency stream's events are collected, and \`renderToWav\` renders them ` +
        `(declicked, the default) to a ${rate / 1000} kHz 16-bit mono WAV in memory (${mb(r.bytes)}). ` +
        `Median of ${runs} runs after a warm-up, in a fresh process on the compiled JavaScript.`,
      '',
      table(
        ['stage', 'time (median)', '× real time'],
        [
          ['script on the virtual clock (Session + scheduler + stream)', `${fixed(median(r.scriptS) * 1000, 1)} ms`, `${fixed(scriptOnly, 0)}×`],
          [`render to WAV at ${rate} Hz`, `${fixed(median(r.renderS) * 1000, 0)} ms`, `${fixed(renderOnly, 0)}×`],
          ['**end to end**', `${fixed(median(totals) * 1000, 0)} ms`, `**${fixed(endToEnd, 0)}×** (target > ${TARGET}×)`],
        ],
      ),
    ].join('\n');
    return {
      markdown,
      rows: [
        { name: `${fixed(minutes, 0)}-minute script rendered offline at 48 kHz, end to end`, value: endToEnd, unit: '× real time', target: `> ${TARGET}×`, met: endToEnd > TARGET },
      ],
    };
  } finally {
    tree.dispose();
  }
}

const synthBench: BenchModule = { title: 'Offline rendering', run };
export default synthBench;

/**
 * Section "app/frames": web mode's host sent frames no request can be (16 MiB
 * of `[`, and 1 MiB of it, within the size but deeper than any request). The
 * host refuses them before JSON.parse (src/node/web/frame-guard.ts); this
 * measures the longest stall of its event loop meanwhile, against what
 * JSON.parse alone takes on the same text. Workload: bench/app/workers/frames.ts.
 */
import path from 'node:path';
import { runTsWorker } from '../lib/child';
import { fixed, median, table } from '../lib/stats';
import type { BenchModule } from '../lib/types';

interface FrameResult {
  name: string;
  bytes: number;
  parseMs: number[];
  guardMs: number[];
  hostGapMs: number[];
  roundTripMs: number[];
  message: string;
}

const ms = (values: number[]) => `${fixed(median(values), 1)} ms`;

const frames: BenchModule = {
  title: 'Web mode: frames no request can be',
  async run(ctx) {
    ctx.log('app/frames: 16 MiB and 1 MiB of [ sent to web mode');
    const result = runTsWorker<{ runs: number; results: FrameResult[] }>(ctx.root, path.join('bench', 'app', 'workers', 'frames.ts'), ctx.quick ? ['--quick'] : [], [], 180_000);
    if (!result.ok || !result.value) throw new Error(result.error);
    const { runs, results } = result.value;
    const markdown = [
      `Web mode's host (an \`AppSession\` on the real clock behind \`startWebServer\`) in one fresh process (\`node --import tsx bench/app/workers/frames.ts\`); the client, sending the frame over \`ws\`, in a child process of its own. A 1 ms interval on the host's thread gives its longest gap from the send to the client holding the refusal, or seeing the socket closed. "JSON.parse" is that call alone on the same text, on the same thread: what the host did with such a frame before the guard. ${runs} run(s), medians shown. A frame larger than any request (6.06 MiB) is read only up to that size before \`ws\` closes the socket (\`maxPayload\`); the 1 KiB row shows what a loaded machine adds to any gap.`,
      '',
      table(
        ['frame', 'longest stall of the host', 'send → refusal or close received', 'JSON.parse of it (before)', "the guard's scan", 'answer'],
        results.map((r) => [r.name, ms(r.hostGapMs), ms(r.roundTripMs), ms(r.parseMs), ms(r.guardMs), `\`${r.message}\``]),
      ),
    ].join('\n');
    const big = results[0];
    return {
      markdown,
      rows: [
        { name: `longest stall of the host on ${big.name}`, value: median(big.hostGapMs), unit: 'ms', target: '< 100 ms', met: median(big.hostGapMs) < 100 },
        { name: `JSON.parse of ${big.name} (what the host did before)`, value: median(big.parseMs), unit: 'ms' },
      ],
    };
  },
};

export default frames;

/**
 * Section "app/transport": web mode's host → renderer transport on a real
 * loopback WebSocket: events/s delivered and validated, latency from the
 * engine emitting an event to the client holding it validated, request round
 * trips, and the cost per event of serialising and validating. The workload
 * runs in bench/app/workers/transport.ts (host and client threads in one fresh
 * process, on one monotonic clock).
 */
import path from 'node:path';
import { runTsWorker } from '../lib/child';
import { fixed, median, table } from '../lib/stats';
import type { BenchModule, BenchRow } from '../lib/types';

interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}
interface Delivery {
  emitted: number;
  received: number;
  batches: number;
  meanBatch: number;
  matched: boolean;
  snapshots: number;
  eventsPerSecond: number;
  emitToReceipt: Summary;
  sendToReceipt: Summary;
}
interface Load extends Delivery {
  tasks: number;
  emittedPerSecond: number;
  pings: Summary;
}
interface Result {
  idlePings: Summary;
  loads: Load[];
  saturation: Delivery & { injected: number; window: number };
  costs: { batchEvents: number; bytesPerEvent: number; stringifyNs: number; parseNs: number; validateNs: number; validateOnlyNs: number; eventTypes: Record<string, number> };
}

const ms = (value: number, digits = 2) => `${fixed(value, digits)} ms`;
const rate = (value: number) => `${Math.round(value).toLocaleString('en-US')}`;

const transport: BenchModule = {
  title: 'Web mode transport: WebSocket event throughput and latency',
  async run(ctx) {
    const runs: Result[] = [];
    const count = ctx.quick ? 1 : 3;
    for (let i = 0; i < count; i++) {
      ctx.log(`app/transport: run ${i + 1} of ${count}`);
      const result = runTsWorker<Result>(ctx.root, path.join('bench', 'app', 'workers', 'transport.ts'), ctx.quick ? ['--quick'] : [], [], 90_000);
      if (!result.ok || !result.value) throw new Error(result.error);
      runs.push(result.value);
    }
    const med = (pick: (r: Result) => number) => median(runs.map(pick));
    const tasks = runs[0].loads.map((l) => l.tasks);
    const load = (i: number, pick: (l: Load) => number) => med((r) => pick(r.loads[i]));
    const unmatched = runs.flatMap((r) => r.loads).filter((l) => !l.matched);
    const last = tasks.length - 1;
    const sat = (pick: (s: Result['saturation']) => number) => med((r) => pick(r.saturation));
    const c = (pick: (s: Result['costs']) => number) => med((r) => pick(r.costs));

    const loadRows = tasks.map((n, i) => [
      `${n.toLocaleString('en-US')} tasks looping \`beep\``,
      rate(load(i, (l) => l.emittedPerSecond)),
      rate(load(i, (l) => l.eventsPerSecond)),
      fixed(load(i, (l) => l.meanBatch), 0),
      `${ms(load(i, (l) => l.emitToReceipt.p50))} / ${ms(load(i, (l) => l.emitToReceipt.p99))}`,
      `${ms(load(i, (l) => l.sendToReceipt.p50))} / ${ms(load(i, (l) => l.sendToReceipt.p99))}`,
      `${ms(load(i, (l) => l.pings.p50))} / ${ms(load(i, (l) => l.pings.p99))}`,
    ]);
    const types = Object.entries(runs[0].costs.eventTypes).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(', ');

    const markdown = [
      `Host and client in one fresh Node process (\`node --import tsx bench/app/workers/transport.ts\`), ${count} run(s), medians shown. The host is web mode's own: an \`AppSession\` on the real clock (the real engine, its \`EventBatcher\`: a batch goes out 16 ms after its first event or at 1,000 events) behind \`startWebServer\` on 127.0.0.1, token-checked. The client is the renderer's transport, \`connectWebSocket\` over \`ws\`, in a worker thread of the same process: every message is JSON-parsed and validated by the API (\`onHostMessage\`, valibot) before the client stamps it. Both threads read \`process.hrtime\` (CLOCK_MONOTONIC), so latency needs no clock sync. The host is observed, not changed: \`onEvent\` stamps each event as the engine emits it, and a wrapped view stamps each batch as it is handed to the socket; client batches are matched to host events by order, which is valid only when nothing was dropped (no slow-client snapshot): ${unmatched.length === 0 ? 'it held in every run' : `**it failed in ${unmatched.length} load run(s)**`}.`,
      '',
      `### Real engine: many concurrent tasks`,
      '',
      `A script of N lines \`spawn loop beep NOTE 0.02; wait 0.0D\` (D = 1..9) loaded into the session, streamed for ${ctx.quick ? 1 : 2.5} s, then \`stop-all\`; round trips (a \`stop-source\` request for a source that does not exist, validated both ways) run every 10 ms meanwhile.`,
      '',
      table(
        ['workload', 'events/s emitted by the engine', 'events/s delivered, validated', 'events per batch', 'emit → client, p50 / p99', 'socket hand-over → client, p50 / p99', 'request round trip meanwhile, p50 / p99'],
        loadRows,
      ),
      '',
      `- Emit → client includes the batching wait by design (up to 16 ms for the first event of a batch, plus timer slack on a loaded event loop); socket hand-over → client is the WebSocket itself (frame, loopback, JSON parse, validation) plus waiting for the client thread's turn.`,
      `- The engine, not the socket, sets the delivered rate here: every event emitted is delivered. With 1,000 tasks most batches fill to 1,000 events before the 16 ms are up, which is why their events wait less than with 100 tasks.`,
      '',
      '### Saturation: the socket and the validating client',
      '',
      `Events recorded from the ${tasks[last].toLocaleString('en-US')}-task run are fed to the host's engine listener as fast as the client keeps up (at most ${runs[0].saturation.window.toLocaleString('en-US')} events in flight, acknowledged over the worker channel, so the slow-client protection never drops), through the same batcher, server and validating client, for ${ctx.quick ? 1 : 2.5} s.`,
      '',
      table(
        ['figure', 'value'],
        [
          ['events/s delivered and validated (batches of 1,000)', `**${rate(sat((s) => s.eventsPerSecond))}** (runs: ${runs.map((r) => rate(r.saturation.eventsPerSecond)).join(', ')})`],
          ['MB/s of JSON on the socket, about (rate × the bytes per event of the batch timed below)', fixed((sat((s) => s.eventsPerSecond) * c((x) => x.bytesPerEvent)) / 1e6, 1)],
          ['batch hand-over → client, p50 (the in-flight window queued)', ms(sat((s) => s.sendToReceipt.p50), 1)],
        ],
      ),
      '',
      '### Cost per event of what crosses the socket',
      '',
      `One batch of ${runs[0].costs.batchEvents.toLocaleString('en-US')} recorded events (${types}), timed in the host process (median of 5 timings of ≥ 60 ms each; V8 ${process.versions.v8}, as in the page's Chromium roughly).`,
      '',
      table(
        ['step', 'ns per event'],
        [
          ['`JSON.stringify` (host)', fixed(c((x) => x.stringifyNs), 0)],
          ['`JSON.parse` (client)', fixed(c((x) => x.parseNs), 0)],
          ['validation: `parseHostMessage` (valibot, client)', `**${fixed(c((x) => x.validateOnlyNs), 0)}**`],
          ['bytes of JSON per event', fixed(c((x) => x.bytesPerEvent), 0)],
        ],
      ),
      '',
      (() => {
        const alone = c((x) => x.parseNs + x.validateOnlyNs);
        const perEvent = 1e9 / sat((s) => s.eventsPerSecond);
        const share = `Validation is about ${fixed(c((x) => x.validateOnlyNs) / (c((x) => x.stringifyNs) + c((x) => x.parseNs)), 1)}× the JSON work on both ends together.`;
        return alone <= perEvent
          ? `${share} Parse + validation, timed alone, come to ${fixed(alone, 0)} ns per event: ${fixed((100 * alone) / perEvent, 0)} % of the ${fixed(perEvent, 0)} ns the saturated client above spent per event on everything (receiving the frame, parsing, validating).`
          : `${share} Parse + validation, timed alone, come to ${fixed(alone, 0)} ns per event, more than the ${fixed(perEvent, 0)} ns the saturated client above spent per event on everything: on this shared machine these per-step figures are upper bounds rather than exact shares.`;
      })(),
      '',
      '### Request round trips on an idle session',
      '',
      `${runs[0].idlePings.n} sequential \`stop-source\` requests 2 ms apart: p50 ${ms(med((r) => r.idlePings.p50))}, p99 ${ms(med((r) => r.idlePings.p99))}, max ${ms(med((r) => r.idlePings.max))} (request validated by the client and the host, reply validated by the client).`,
      '',
      '### Not measured: Electron IPC',
      '',
      "The desktop window's transport (`webContents.send` and `ipcRenderer.invoke`, or a MessagePort) cannot be measured here: the Electron binary is never downloaded on these machines (docs/CONTRIBUTING.md), so there is no main process to run. The figures above are web mode's.",
    ].join('\n');

    const rows: BenchRow[] = [
      { name: 'events/s delivered over the WebSocket, validated (saturated)', value: sat((s) => s.eventsPerSecond) / 1000, unit: 'k/s' },
      {
        name: `event latency, engine emit → client validated, ${tasks[last].toLocaleString('en-US')} looping tasks, p50 / p99`,
        value: load(last, (l) => l.emitToReceipt.p50),
        unit: `ms / ${fixed(load(last, (l) => l.emitToReceipt.p99), 1)} ms`,
      },
      { name: 'request round trip (idle), p50', value: med((r) => r.idlePings.p50), unit: 'ms' },
      { name: 'validation per event (parseHostMessage)', value: c((x) => x.validateOnlyNs), unit: 'ns' },
    ];
    return { markdown, rows };
  },
};

export default transport;

/**
 * Section "app/onsets": onset error of the notes the page plays against
 * logical time, for the demo's resources/commands.txt in Chromium via web mode
 * at the default lookahead; in the offline render of what the page scheduled,
 * and (with PulseAudio) in a recording of Chromium's real output. The workload
 * is bench/app/workers/onsets.ts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runTsWorker } from '../lib/child';
import { fixed, percentileSorted, table } from '../lib/stats';
import type { BenchModule, BenchRow } from '../lib/types';

interface ChangeError {
  t: number;
  lateMs: number;
  plannedMs: number;
  renderMs: number;
  outputMs: number | null;
}
interface Run {
  ok: boolean;
  why?: string;
  lookahead: number;
  lateEvents: number;
  lateChanges: number;
  errors: ChangeError[];
  renderOnsets: number;
  output: {
    seconds: number;
    peak: number;
    onsets: number;
    unexplained: number | null;
    complete?: boolean;
    gaps?: { count: number; totalMs: number; atSeconds: number[] } | null;
  } | null;
}
interface Result {
  browser: string;
  pulse: boolean;
  audioStats: { sampleRate: number; baseLatency: number | null; outputLatency: number | null; lookahead: number };
  rate: number;
  runs: Run[];
}

const TARGET_MS = 1;

function absStats(values: number[]) {
  const sorted = values.map(Math.abs).sort((a, b) => a - b);
  return { n: sorted.length, max: sorted[sorted.length - 1] ?? NaN, p50: percentileSorted(sorted, 50), p99: percentileSorted(sorted, 99) };
}

/** Dropouts in the recorded plays (those with a recording of the real output). */
function dropoutsOf(plays: Run[]): { count: number; plays: number } {
  const recorded = plays.filter((r) => r.output && r.output.unexplained !== null);
  return { count: recorded.reduce((s, r) => s + (r.output?.gaps?.count ?? 0), 0), plays: recorded.length };
}

const onsets: BenchModule = {
  title: 'Onset error of played notes against logical time (Chromium, web mode)',
  async run(ctx) {
    if (!existsSync('/usr/bin/chromium')) {
      ctx.log('app/onsets: skipped (no /usr/bin/chromium)');
      return null;
    }
    const runsWanted = ctx.quick ? 1 : 3;
    const child = runTsWorker<Result>(ctx.root, path.join('bench', 'app', 'workers', 'onsets.ts'), ['--runs', String(runsWanted)], [], 150_000);
    if (!child.ok || !child.value) throw new Error(child.error);
    const result = child.value;
    // the same plays with the larger output buffer (the status bar's 'normal'), for the dropouts each buffer has
    const normalChild = result.pulse ? runTsWorker<Result>(ctx.root, path.join('bench', 'app', 'workers', 'onsets.ts'), ['--runs', String(runsWanted), '--output-latency', 'normal'], [], 150_000) : null;
    const normalDropouts = normalChild?.ok && normalChild.value ? dropoutsOf(normalChild.value.runs.filter((r) => r.ok)) : null;
    const good = result.runs.filter((r) => r.ok);
    if (good.length === 0) throw new Error(`no play matched SPEC's schedule: ${result.runs.map((r) => r.why).join('; ')}`);
    const all = good.flatMap((r) => r.errors);
    const render = absStats(all.map((e) => e.renderMs));
    const planned = absStats(all.map((e) => e.plannedMs));
    const late = good.reduce((s, r) => s + r.lateEvents, 0);
    const maxLate = Math.max(0, ...all.map((e) => e.lateMs));
    const recorded = good.filter((r) => r.output && r.output.unexplained !== null);
    const outErrors = recorded.flatMap((r) => r.errors.map((e) => e.outputMs ?? NaN)).filter(Number.isFinite);
    const output = absStats(outErrors);
    const unexplained = recorded.reduce((s, r) => s + (r.output?.unexplained ?? 0), 0);
    const dropouts = dropoutsOf(good).count;
    const clean = recorded.filter((r) => (r.output?.gaps?.count ?? 0) === 0 && r.output?.complete !== false);
    const cleanOutput = absStats(clean.flatMap((r) => r.errors.map((e) => e.outputMs ?? NaN)).filter(Number.isFinite));
    const perPlay = recorded.map((r, i) => {
      const worst = absStats(r.errors.map((e) => e.outputMs ?? NaN).filter(Number.isFinite)).max;
      const g = r.output?.gaps;
      return [
        String(i + 1),
        `${fixed(worst, 3)} ms`,
        g ? `${g.count}${g.count > 0 ? ` (${fixed(g.totalMs, 1)} ms in all, at ${g.atSeconds.map((t) => `${fixed(t, 2)} s`).join(', ')})` : ''}` : '?',
        String(r.output?.unexplained ?? '?'),
        r.output?.complete === false ? 'no' : 'yes',
      ];
    });
    const ms = (v: number, d = 3) => `${fixed(v, d)} ms`;
    /** ms with 3 decimals, without a "-0.000" for a tiny negative. */
    const err = (v: number) => fixed(Math.abs(v) < 5e-4 ? 0 : v, 3);
    const lookaheadMs = Math.round(good[0].lookahead * 1000);

    const perChange = good[0].errors.map((e, i) => [
      fixed(e.t, 2),
      ...good.map((r) => `${err(r.errors[i].renderMs)}${r.errors[i].lateMs > 0 ? ` (late ${fixed(r.errors[i].lateMs, 1)})` : ''}`),
      ...(recorded.length > 0 ? recorded.map((r) => err(r.errors[i].outputMs ?? NaN)) : []),
    ]);

    const outputText = result.pulse
      ? recorded.length > 0
        ? [
            `**Real output.** Chromium played into a private PulseAudio server (its own socket, HOME and runtime folder; started by the worker and stopped after) with one null sink, 48 kHz float mono, \`PULSE_SERVER\` set for Chromium only, \`--mute-audio\` not passed (the harness lists it in \`ignoreDefaultArgs\`). \`parec\` recorded the sink's monitor during each play; the same onset detector ran on the recording, and each change's onset is compared with the recording's first onset plus the change's SPEC time: max **${ms(output.max)}**, p50 ${ms(output.p50)} over ${output.n} changes in ${recorded.length} play(s)${clean.length > 0 && clean.length < recorded.length ? `; in the ${clean.length} play(s) without a dropout, max ${ms(cleanOutput.max)}` : ''}. Output latency is not in this figure (it is relative to the first note). The page's AudioContext ran at ${result.audioStats.sampleRate} Hz, so the sink resampled to 48 kHz; the recorded onsets tend to come out one to five samples early relative to the first, likely the resampler's filter, whose ringing begins before each change.`,
            '',
            `A **dropout** is a stretch of digital silence (≥ 0.5 ms) while SPEC holds note 60 (0 to 10.05 s): the output underran somewhere between Chromium's audio thread and the sink, on this 2-core machine shared with other work, and every later note comes that much later relative to the first (the schedule itself is exact: see the render above). ${dropouts === 0 ? 'None occurred in these plays.' : `${dropouts} occurred in these plays.`} These plays use the app's output latency, 'low' (latencyHint 0, ${fixed((result.audioStats.baseLatency ?? NaN) * 1000, 1)} ms buffer): the smallest buffer leaves the audio thread the least time${normalDropouts === null ? '.' : `; the same ${normalDropouts.plays} play(s) with 'normal' (latencyHint 'interactive') had ${normalDropouts.count} dropout(s).`}`,
            '',
            table(['play', 'max onset error of the output vs the first onset', 'dropouts', 'onsets no change explains', 'recording reaches the end'], perPlay),
          ].join('\n')
        : `**Real output.** A PulseAudio null sink was set up, but no recording held the notes (peak ${good.map((r) => fixed(r.output?.peak ?? 0, 3)).join(', ')}); not reported.`
      : '**Real output** was not recorded: PulseAudio (`pulseaudio`, `parec`) was not available.';

    const markdown = [
      `Debian's Chromium ${result.browser} (headless, through playwright-core; test/e2e's harness: the renderer built with Vite, served by \`runWebCommand\`), audio unmuted and started by a click, at the page's default lookahead (**${lookaheadMs} ms**; AudioContext ${result.audioStats.sampleRate} Hz, base latency ${fixed((result.audioStats.baseLatency ?? NaN) * 1000, 1)} ms). Workload \`node --import tsx bench/app/workers/onsets.ts --runs ${runsWanted}\`: the demo's \`resources/commands.txt\` is opened through the page's file input and played to its \`quit\`, ${good.length} time(s) in one page${good.length < result.runs.length ? ` (${result.runs.length - good.length} play(s) did not match SPEC's schedule and are left out: ${result.runs.filter((r) => !r.ok).map((r) => r.why).join('; ')})` : ''}; each play's 16 changes of what sounds (SPEC: add 60 at 0, chords from 2.0 to 7.45 s, remove 60 at 10.05 s) are checked against SPEC's logical times.`,
      '',
      `**Offline render of what the page scheduled** (the method of test/e2e/demo.test.ts): every change the renderer placed on the live AudioContext's clock is rendered through the page's own player into an OfflineAudioContext at ${result.rate} Hz (the first change at ${fixed(0.25, 2)} s), and \`detectOnsets\` (test/support/audio: the first sample that departs from a sine model fitted to the stretch before it) finds each change in the sound. The error is that onset minus ${fixed(0.25, 2)} s + the change's SPEC time, so it includes any lateness. One sample is ${fixed(1000 / result.rate, 4)} ms.`,
      '',
      table(
        ['figure', 'value'],
        [
          ['onset error in the render, max over all changes', `**${ms(render.max)}** (target < ${TARGET_MS} ms)`],
          ['onset error in the render, p50', ms(render.p50)],
          ['changes measured', String(render.n)],
          ['late events (arrived after their audio time; counted by the page)', `**${late}**${late > 0 ? ` (worst ${fixed(maxLate, 1)} ms late)` : ''}`],
          ['scheduling error on the audio clock, max \\|(at − at₀) − (t − t₀)\\| over the changes the page recorded', `${fixed(planned.max * 1e6, 0)} ns`],
        ],
      ),
      '',
      outputText,
      '',
      `Onset error per change, ms (render${recorded.length > 0 ? ' per play, then the recorded output per play' : ' per play'}):`,
      '',
      table(
        ['SPEC time (s)', ...good.map((_, i) => `render ${i + 1}`), ...recorded.map((_, i) => `output ${i + 1}`)],
        perChange,
      ),
    ].join('\n');

    const rows: BenchRow[] = [
      { name: `demo in Chromium: onset error vs logical time, max (lookahead ${lookaheadMs} ms, offline render of what was scheduled)`, value: render.max, unit: 'ms', target: `< ${TARGET_MS} ms`, met: render.max < TARGET_MS },
      { name: 'demo in Chromium: onset error, p50', value: render.p50, unit: 'ms' },
      { name: `demo in Chromium: late events in ${good.length} play(s)`, value: late, unit: 'events' },
    ];
    if (recorded.length > 0) {
      rows.push({ name: 'demo in Chromium: onset error of the real output (PulseAudio null sink), max, relative to the first onset', value: output.max, unit: 'ms', target: `< ${TARGET_MS} ms`, met: output.max < TARGET_MS });
      rows.push({ name: `demo in Chromium: dropouts in the real output in ${recorded.length} play(s)`, value: dropouts, unit: dropouts === 1 ? 'dropout' : 'dropouts' });
      if (normalDropouts !== null) rows.push({ name: `demo in Chromium: dropouts in the real output, output latency 'normal' (latencyHint 'interactive'), in ${normalDropouts.plays} play(s)`, value: normalDropouts.count, unit: normalDropouts.count === 1 ? 'dropout' : 'dropouts' });
      if (clean.length > 0 && clean.length < recorded.length) {
        rows.push({ name: `demo in Chromium: onset error of the real output, max in the ${clean.length} play(s) without a dropout`, value: cleanOutput.max, unit: 'ms', target: `< ${TARGET_MS} ms`, met: cleanOutput.max < TARGET_MS });
      }
    }
    return { markdown, rows };
  },
};

export default onsets;

/**
 * Groove section (issue 19): a 10-minute groove, as a musician writes it
 * (bench/fixtures/groove-10min.txt: four drum voices, a bass through a
 * low-pass, chords through a reverb and a delay, a lead through a resonant
 * filter), rendered to WAV by the command as a whole process
 * (`node bin/corotone.mjs groove.txt --wav out.wav`, the esbuild bundle), as
 * a multiple of real time from the wall time and from the CPU time.
 *
 * Three trees, their runs interleaved so that the machine's load falls on
 * each alike: this checkout; the commit where issue 19's speed work began
 * (the same groove, so the two WAVs must be the same bytes: the speed work
 * changed no sound); and the last commit before issue 19's work, which had
 * no drums, effects, patterns or pan, playing the nearest groove its language
 * could say (bench/fixtures/groove-10min-before.txt, sine notes for drums, no
 * effects). The old trees are taken with `git archive` into a temporary
 * folder (node_modules linked from this checkout) and built as `npm run
 * build:cli` builds this one.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixed, table } from './lib/stats';
import { medianTiming, timedCorotone, type Timing } from './lib/timed';
import type { BenchContext, BenchModule, BenchSection } from './lib/types';

const TARGET = 200;
const MUSIC_S = 600;
/** The last commit on main before issue 19's work (the merge of h19-task follows it). */
const BEFORE_ISSUE = 'd940cf9';
/** Main when the speed work of issue 19 began: drums, effects, pan and patterns all there. */
const BEFORE_SPEED = '2d93525';

interface Tree {
  label: string;
  root: string;
  script: string;
  temporary: boolean;
  timings: Timing[];
  wavSha: string;
}

function build(root: string): void {
  const run = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the CLI did not build in ${root}: ${run.stderr}`);
}

/** The tree of `commit` in a temporary folder, built; null (logged) when git cannot give it. */
function archived(ctx: BenchContext, commit: string): string | null {
  const dir = mkdtempSync(path.join(tmpdir(), `corotone-bench-${commit}-`));
  const tar = spawnSync('sh', ['-c', `git archive ${commit} | tar -x -C "${dir}"`], { cwd: ctx.root, encoding: 'utf8' });
  if (tar.status !== 0 || !existsSync(path.join(dir, 'bin/corotone.mjs'))) {
    ctx.log(`groove: commit ${commit} is not in this clone (${tar.stderr.trim()})`);
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  symlinkSync(path.join(ctx.root, 'node_modules'), path.join(dir, 'node_modules'));
  build(dir);
  return dir;
}

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The three trees into `made` (as each is ready, so a failure still leaves them to remove). */
function trees(ctx: BenchContext, made: Tree[]): void {
  build(ctx.root);
  const groove = path.join(ctx.root, 'bench/fixtures/groove-10min.txt');
  const add = (label: string, root: string | null, script: string, temporary: boolean): void => {
    if (root !== null) made.push({ label, root, script, temporary, timings: [], wavSha: '' });
  };
  add(`before issue 19 (${BEFORE_ISSUE}), the stand-in groove`, archived(ctx, BEFORE_ISSUE), path.join(ctx.root, 'bench/fixtures/groove-10min-before.txt'), true);
  add(`issue 19 before its speed work (${BEFORE_SPEED})`, archived(ctx, BEFORE_SPEED), groove, true);
  add('this checkout', ctx.root, groove, false);
}

async function run(ctx: BenchContext): Promise<BenchSection | null> {
  if (!existsSync('/usr/bin/time')) {
    ctx.log('groove: /usr/bin/time is not there (it measures the CPU time)');
    return null;
  }
  const runs = ctx.quick ? 1 : 5;
  const out = mkdtempSync(path.join(tmpdir(), 'corotone-bench-groove-'));
  const measured: Tree[] = [];
  try {
    trees(ctx, measured);
    ctx.log(`groove: ${measured.length} trees, ${runs} runs each, interleaved`);
    for (let i = 0; i < runs; i++) {
      for (const [t, tree] of measured.entries()) {
        const wav = path.join(out, `${t}.wav`);
        tree.timings.push(timedCorotone([tree.script, '--wav', wav], tree.root));
        tree.wavSha = sha(wav);
      }
    }
    const now = measured[measured.length - 1];
    const rows = measured.map((tree) => {
      const m = medianTiming(tree.timings);
      return { tree, m, wall: MUSIC_S / m.wallS, cpu: MUSIC_S / m.cpuS };
    });
    const same = measured.filter((t) => t !== now && t.script === now.script).map((t) => `${t.wavSha === now.wavSha ? 'the same bytes as' : '**not** the same bytes as'} the WAV of ${t.label}`);
    const markdown = [
      `\`node bin/corotone.mjs groove.txt --wav out.wav\` as a whole process (the esbuild bundle, built first), median of ${runs} runs, ` +
        'the trees\' runs interleaved. The groove is `bench/fixtures/groove-10min.txt`: 120 beats a minute for 10 minutes, six live ' +
        'loops (kick, snare, hats with an open hat, a euclid clap panned right; a sawtooth bass through `lpf 500 res=4`; four-note ' +
        'chords through `reverb 0.6` and `delay 0.75 0.4`; a square lead of chance notes through `lpf 1800 res=3`), a stereo 48 kHz WAV. ' +
        `Before issue 19 (commit ${BEFORE_ISSUE}) there were no drums, effects, patterns, chord names or pan, and WAVs were mono: that ` +
        'tree plays `bench/fixtures/groove-10min-before.txt`, the same loops with a short sine note for each drum hit, the chords ' +
        'spelled out and no effects, the nearest groove its language had. The CPU time (user + sys) is what the process cost; the wall ' +
        'time carries the machine\'s other load (see the load average above).',
      '',
      table(
        ['tree', 'wall time', '× real time (wall)', 'CPU time', '× real time (CPU)'],
        rows.map(({ tree, m, wall, cpu }) => [tree.label, `${fixed(m.wallS, 2)} s`, `${fixed(wall, 0)}×`, `${fixed(m.cpuS, 2)} s`, `${fixed(cpu, 0)}×`]),
      ),
      '',
      same.length > 0 ? `This checkout's WAV is ${same.join(', ')}.` : '',
    ].join('\n');
    const last = rows[rows.length - 1];
    return {
      markdown,
      rows: [
        { name: '10-minute groove (drums, effects) to WAV, whole process, wall time', value: last.wall, unit: '× real time', target: `> ${TARGET}×`, met: last.wall > TARGET },
        { name: 'the same, CPU time (user + sys)', value: last.cpu, unit: '× real time', target: `> ${TARGET}×`, met: last.cpu > TARGET },
      ],
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
    for (const tree of measured) if (tree.temporary) rmSync(tree.root, { recursive: true, force: true });
  }
}

const grooveBench: BenchModule = { title: 'A 10-minute groove (issue 19)', run };
export default grooveBench;

/**
 * CLI section: the `corotone` command as a whole process, as a user starts it
 * (`node bin/corotone.mjs`): start-up for --help, time to the first sound of
 * a live --raw run, a 10-minute script rendered to WAV, and the peak RSS of a
 * one-hour render (constant memory: the render streams to disk).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixed, median, table } from './lib/stats';
import { medianTiming as medians, timedCorotone as timed } from './lib/timed';
import type { BenchContext, BenchModule, BenchSection } from './lib/types';

const HELP_TARGET_S = 0.3;
const FIRST_SOUND_TARGET_S = 0.5;
const WAV_TARGET = 500;
/** Peak RSS of the one-hour render before streaming (commit cb8ea8e, same machine, 1 December 2026). */
const RSS_BEFORE_MB = 434;

const ms = (s: number): string => `${fixed(s * 1000, 0)} ms`;

/** Seconds from spawning `corotone SCRIPT --raw` to its first byte of sound on standard output. */
function firstSound(script: string, root: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ['bin/corotone.mjs', script, '--raw', '--latency', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => {
      resolve(Number(process.hrtime.bigint() - start) / 1e9);
      child.kill();
    });
    child.once('error', reject);
  });
}

function peakRssMb(args: string[], root: string): number | null {
  const run = spawnSync('/usr/bin/time', ['-v', process.execPath, 'bin/corotone.mjs', ...args], { cwd: root, encoding: 'utf8' });
  const found = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr ?? '');
  return found ? Number(found[1]) / 1024 : null;
}

async function run(ctx: BenchContext): Promise<BenchSection | null> {
  const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ctx.root, encoding: 'utf8' });
  if (build.status !== 0) {
    ctx.log(`cli: the bundle did not build: ${build.stderr}`);
    return null;
  }
  const runs = ctx.quick ? 2 : 5;
  const dir = mkdtempSync(path.join(tmpdir(), 'corotone-bench-cli-'));
  try {
    const tenMinutes = path.join(dir, 'ten-minutes.txt');
    // 4,800 notes of 1/8 s: 600 s of music, the longest render without --until.
    writeFileSync(tenMinutes, Array.from({ length: 4800 }, (_, i) => `beep ${60 + (i % 12)} 0.125`).join('\n'));
    const beep = path.join(dir, 'beep.txt');
    writeFileSync(beep, 'beep 69 1');
    const hour = path.join(dir, 'hour.txt');
    writeFileSync(hour, 'beep 60 3600');
    const wav = path.join(dir, 'out.wav');

    ctx.log(`cli: --help, bundle and tsx, ${runs} runs each`);
    const helpBundle = medians(Array.from({ length: runs }, () => timed(['--help'], ctx.root)));
    const helpTsx = medians(Array.from({ length: runs }, () => timed(['--help'], ctx.root, { ...process.env, COROTONE_FROM_SOURCE: '1' })));
    ctx.log('cli: first sound of a live --raw run');
    const sound: number[] = [];
    for (let i = 0; i < runs; i++) sound.push(await firstSound(beep, ctx.root));
    const firstSoundS = median(sound);
    ctx.log('cli: a 10-minute script rendered to WAV');
    const wavRun = medians(Array.from({ length: runs }, () => timed([tenMinutes, '--wav', wav], ctx.root)));
    const speed = 600 / wavRun.wallS;
    const cpuSpeed = 600 / wavRun.cpuS;
    ctx.log('cli: peak RSS of a one-hour render');
    const rss = ctx.quick ? null : peakRssMb([hour, '--wav', wav, '--until', '3601'], ctx.root);

    const markdown = [
      `Whole processes, \`node bin/corotone.mjs ...\` as a user starts the command, median of ${runs} runs. The bundle is ` +
        'the esbuild build that `npm install` makes (`prepare`, scripts/build-cli.mjs); "tsx" is the same command run from ' +
        'the TypeScript sources (COROTONE_FROM_SOURCE=1), as every start was before. First sound: from spawning ' +
        '`corotone beep.txt --raw --latency 0` to its first byte on standard output. The peak RSS is /usr/bin/time -v\'s ' +
        `maximum resident set for \`beep 60 3600\` rendered with \`--wav --until 3601\` (a 345.6 MB file); before the ` +
        `render streamed to disk it was ${RSS_BEFORE_MB} MB (growing with the length: 4.3 GB for \`wait 44739\`). ` +
        'The machine is shared with other work, so wall times carry its load (see the load average above); the CPU time is what the process itself cost.',
      '',
      table(
        ['measure', 'wall time', 'CPU time (user + sys)', 'target'],
        [
          ['`--help`, bundle', ms(helpBundle.wallS), ms(helpBundle.cpuS), `< ${HELP_TARGET_S * 1000} ms`],
          ['`--help`, tsx', ms(helpTsx.wallS), ms(helpTsx.cpuS), ''],
          ['first sound, live `--raw`', ms(firstSoundS), '', `< ${FIRST_SOUND_TARGET_S * 1000} ms`],
          ['10-minute script to WAV, whole process', `${ms(wavRun.wallS)} = ${fixed(speed, 0)}× real time`, `${ms(wavRun.cpuS)} = ${fixed(cpuSpeed, 0)}×`, `> ${WAV_TARGET}×`],
          ['peak RSS, one-hour render to WAV', rss === null ? 'not measured (--quick)' : `${fixed(rss, 0)} MB (before: ${RSS_BEFORE_MB} MB)`, '', 'constant'],
        ],
      ),
    ].join('\n');
    return {
      markdown,
      rows: [
        { name: 'corotone --help, whole process', value: helpBundle.wallS * 1000, unit: 'ms', target: `< ${HELP_TARGET_S * 1000} ms`, met: helpBundle.wallS < HELP_TARGET_S },
        { name: 'corotone --raw, first sound', value: firstSoundS * 1000, unit: 'ms', target: `< ${FIRST_SOUND_TARGET_S * 1000} ms`, met: firstSoundS < FIRST_SOUND_TARGET_S },
        { name: '10-minute script to WAV, whole process', value: speed, unit: '× real time', target: `> ${WAV_TARGET}×`, met: speed > WAV_TARGET },
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cliBench: BenchModule = { title: 'The corotone command', run };
export default cliBench;

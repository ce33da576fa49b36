/** A whole `corotone` process timed as a user runs it: wall time, and the CPU time it cost (user + sys, from /usr/bin/time). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median } from './stats';

export interface Timing {
  wallS: number;
  /** user + sys CPU seconds: what the process itself cost, less sensitive to other load than wall time. */
  cpuS: number;
}

/** `node bin/corotone.mjs ARGS` in `root` (a checkout), timed; throws if it fails. */
export function timedCorotone(args: string[], root: string, env: NodeJS.ProcessEnv = process.env): Timing {
  const report = path.join(mkdtempSync(path.join(tmpdir(), 'corotone-time-')), 'time.txt');
  const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S', '-o', report, process.execPath, 'bin/corotone.mjs', ...args], { cwd: root, env, stdio: 'ignore' });
  if (run.status !== 0) throw new Error(`corotone ${args.join(' ')} exited ${run.status} in ${root}`);
  const [wall, user, sys] = readFileSync(report, 'utf8').trim().split(/\s+/).map(Number);
  rmSync(path.dirname(report), { recursive: true, force: true });
  return { wallS: wall, cpuS: user + sys };
}

export function medianTiming(timings: readonly Timing[]): Timing {
  return { wallS: median(timings.map((t) => t.wallS)), cpuS: median(timings.map((t) => t.cpuS)) };
}

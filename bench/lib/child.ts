import { spawnSync } from 'node:child_process';

export interface ChildResult<T> {
  ok: boolean;
  value: T | null;
  /** Why it failed: exit status and the end of stderr. */
  error: string;
}

/**
 * Runs a program in a child process and parses the last line of its stdout as
 * JSON. Each workload gets a process of its own so that its memory is its own
 * and the JIT has not been trained by a different workload.
 */
export function runJson<T>(command: string, args: string[], options: { cwd: string; timeoutMs: number }): ChildResult<T> {
  const child = spawnSync(command, args, {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: options.timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const tail = (text: string | null) => (text ?? '').trim().split('\n').slice(-5).join('\n');
  if (child.error) return { ok: false, value: null, error: `${command}: ${child.error.message}` };
  if (child.status !== 0) {
    return { ok: false, value: null, error: `${command} ${args.join(' ')} exited with ${child.status ?? child.signal}: ${tail(child.stderr)}` };
  }
  const last = child.stdout.trim().split('\n').pop() ?? '';
  try {
    return { ok: true, value: JSON.parse(last) as T, error: '' };
  } catch {
    return { ok: false, value: null, error: `${command} printed no JSON on its last line: ${tail(child.stdout)} ${tail(child.stderr)}` };
  }
}

/** Runs a TypeScript worker under tsx in a fresh Node process (extra Node flags first). */
export function runTsWorker<T>(root: string, file: string, args: string[], nodeFlags: string[] = [], timeoutMs = 120_000): ChildResult<T> {
  return runJson<T>(process.execPath, [...nodeFlags, '--import', 'tsx', file, ...args], { cwd: root, timeoutMs });
}

/** The python3 on PATH, with its version, or null when there is none. */
export function findPython(): { command: string; version: string } | null {
  const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return null;
  return { command: 'python3', version: (probe.stdout || probe.stderr).trim().replace(/^Python /, '') };
}

import { spawnSync } from 'node:child_process';

/** Why python3 3.11 or later cannot run here (the exported programs need TaskGroup, asyncio.timeout, except*), or null if it can. */
export function findPython(): string | null {
  const probe = spawnSync('python3', ['-c', 'import sys; print(sys.version_info >= (3, 11))'], { encoding: 'utf8' });
  if (probe.error !== undefined) return 'python3 is not installed';
  if (probe.stdout.trim() !== 'True') return 'python3 is older than 3.11';
  return null;
}

/**
 * "Everything that played" as a script: the session's note changes, from its
 * history, replayed as `add` / `remove` with the waits between them, so the
 * export renders it with the same synthesiser (in its worker) as any script.
 */
import type { SessionEvent } from '../../core/session/api';

/** The script of the notes in `events` (oldest first), from the first change; '' when nothing sounded. */
export function playedScript(events: readonly SessionEvent[]): string {
  const out: string[] = [];
  let sounding = new Set<number>();
  let previousT: number | null = null;
  for (const event of events) {
    if (event.type !== 'notes') continue;
    const next = new Set(event.notes);
    const removed = [...sounding].filter((n) => !next.has(n));
    const added = event.notes.filter((n) => !sounding.has(n));
    if (removed.length === 0 && added.length === 0) continue;
    if (previousT === null && added.length === 0) continue;
    if (previousT !== null) {
      const gap = Math.round((event.t - previousT) * 1e6) / 1e6;
      if (gap > 0) out.push(`wait ${gap}`);
    }
    for (const n of removed) out.push(`remove ${n}`);
    for (const n of added) out.push(`add ${n}`);
    sounding = next;
    previousT = event.t;
  }
  if (out.length === 0) return '';
  for (const n of sounding) out.push(`remove ${n}`);
  return `${out.join('\n')}\n`;
}

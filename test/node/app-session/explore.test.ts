/**
 * The `explore` request on the host: the interleaving explorer run on a
 * script the page sends, answered through the same validation a renderer's
 * request and the renderer's reading of the reply go through.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppSession } from '../../../src/node/app-session/app-session';
import { createRealEngine } from '../../../src/node/app-session/real-engine';
import { EXPLORE_LIMITS, parseReply, type ReplyOf } from '../../../src/protocol';
import { crowdAtOneInstant, quietScript, quietText, racyScript } from '../../support/debug/scripts';

let nextId = 1;

/** Send `explore` as a renderer does (raw, validated by the host) and read the reply as the renderer does (validated again). */
async function explore(app: AppSession, text: string, budget?: number): Promise<ReplyOf<'explore'>> {
  const id = nextId++;
  const raw = await app.handle({ id, type: 'explore', name: 'unseen.txt', text, ...(budget === undefined ? {} : { budget }) }, null);
  expect(raw.id).toBe(id);
  const reply = parseReply('explore', JSON.parse(JSON.stringify(raw)));
  expect(reply.ok).toBe(true);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value;
}

function withApp(run: (app: AppSession) => Promise<void>): () => Promise<void> {
  return async () => {
    const app = new AppSession({ createEngine: createRealEngine, batching: { intervalMs: 5 } });
    try {
      await run(app);
    } finally {
      app.dispose();
    }
  };
}

describe('the explore request', () => {
  it(
    'finds 2 or more outcomes where unseen scripts have a same-instant race: where they part, the tasks, and each outcome’s events to draw and play',
    withApp(async (app) => {
      await fc.assert(
        fc.asyncProperty(racyScript, async ({ text }) => {
          const reply = await explore(app, text);
          expect(reply.ok).toBe(true);
          if (!reply.ok) return;
          const { outcomes, runs, distinct, summary } = reply.value;
          expect(distinct).toBeGreaterThanOrEqual(2);
          expect(summary).toBe(`interleavings: ${runs} orders run, ${distinct} distinct outcomes`);
          expect(outcomes.reduce((n, o) => n + o.runs, 0)).toBe(runs);
          expect(outcomes[0].parting).toBeNull();
          for (const o of outcomes.slice(1)) {
            // where its order leaves asyncio's: two different tasks of the script, at an instant of it
            expect(o.parting).not.toBeNull();
            expect(o.parting!.ran).not.toBe(o.parting!.fifo);
            expect(o.parting!.ran).toMatch(/^task \d+ ".+" \(unseen\.txt:\d+\)$/);
            expect(o.order.length).toBeGreaterThan(0);
            expect(o.order[0].ready).toBeGreaterThanOrEqual(2);
          }
          // Two outcomes differ in what is heard or in how a task ended, and their events say the same.
          const [a, b] = outcomes;
          expect(JSON.stringify(a.sound) !== JSON.stringify(b.sound) || b.differences.some((d) => /^[+-] /.test(d))).toBe(true);
          const notesOf = (o: typeof a) => o.events.flatMap((e) => (e.type === 'notes' ? [{ t: e.t, notes: [...e.notes].sort((x, y) => x - y) }] : []));
          for (const o of outcomes.slice(0, 2)) {
            expect(notesOf(o).map((n) => n.t)).toEqual(o.sound.map((s) => s.t));
            expect(o.events.some((e) => e.type === 'task-created' && e.source === 'unseen.txt')).toBe(true);
          }
        }),
        { numRuns: 3 },
      );
    }),
    60_000,
  );

  it(
    'finds exactly 1 outcome where no order matters',
    withApp(async (app) => {
      await fc.assert(
        fc.asyncProperty(quietScript, async (lines) => {
          const reply = await explore(app, quietText(lines));
          expect(reply.ok).toBe(true);
          if (!reply.ok) return;
          expect(reply.value.distinct).toBe(1);
          expect(reply.value.summary).toMatch(/^interleavings: \d+ orders? run, 1 distinct outcome$/);
          expect(reply.value.outcomes[0].events.length).toBeGreaterThan(0);
        }),
        { numRuns: 3 },
      );
    }),
    60_000,
  );

  it(
    'stays within its budget with 12 tasks ready at one instant',
    withApp(async (app) => {
      const reply = await explore(app, crowdAtOneInstant(12), 25);
      expect(reply.ok).toBe(true);
      if (!reply.ok) return;
      expect(reply.value.runs).toBe(25);
      expect(reply.value.unexplored).toBeGreaterThan(0);
      expect(reply.value.outcomes.reduce((n, o) => n + o.runs, 0)).toBe(25);
    }),
    60_000,
  );

  it(
    'stops each run at 60 logical seconds and sends an outcome’s first events, counting the rest',
    withApp(async (app) => {
      const reply = await explore(app, 'repeat 100000 beep C5 0.01\n');
      expect(reply.ok).toBe(true);
      if (!reply.ok) return;
      const [o] = reply.value.outcomes;
      expect(reply.value.distinct).toBe(1);
      expect(o.events).toHaveLength(EXPLORE_LIMITS.events);
      expect(o.eventsLeftOut).toBeGreaterThan(0);
      expect(o.sound).toHaveLength(EXPLORE_LIMITS.events);
      // The run went on to the limit, and no further: its last change of the notes is in the limit's last second.
      const lastChange = Number(/the last at ([\d.]+) s/.exec(o.summary)?.[1]);
      expect(lastChange).toBeLessThanOrEqual(EXPLORE_LIMITS.seconds);
      expect(lastChange).toBeGreaterThan(EXPLORE_LIMITS.seconds - 1);
    }),
    60_000,
  );

  it(
    'lets the host answer other requests while it explores (it runs in slices)',
    withApp(async (app) => {
      const order: string[] = [];
      const races = readFileSync(new URL('../../../resources/examples/races.txt', import.meta.url), 'utf8');
      const exploring = app.handle({ id: 500, type: 'explore', name: 'races.txt', text: races }, null).then(() => order.push('explore'));
      // The host's turn (its timers, its sockets) comes while the exploration runs: a request asked after it began is answered before it ends.
      const line = new Promise<void>((done) =>
        setImmediate(() => {
          order.push('host');
          void app.handle({ id: 501, type: 'submit-line', line: 'beep 60 0.1' }, null).then(() => done(void order.push('line')));
        }),
      );
      await Promise.all([exploring, line]);
      expect(order).toEqual(['host', 'line', 'explore']);
    }),
    60_000,
  );

  it(
    'answers a script with errors with its located errors, and a budget out of bounds as an invalid message',
    withApp(async (app) => {
      const bad = await explore(app, 'beep C4 1\nbeep Q9 1\n');
      expect(bad.ok).toBe(false);
      if (bad.ok) return;
      expect(bad.error.code).toBe('parse-error');
      expect(bad.error.message).toMatch(/unseen\.txt: not explored, 1 error to fix first/);
      expect(bad.error.diagnostics?.[0]).toMatchObject({ source: 'unseen.txt', line: 2 });
      // Many errors: all counted, the first 50 sent, each located.
      const many = await explore(app, Array.from({ length: 120 }, (_, i) => `beep Q${i} 1`).join('\n'));
      expect(many.ok).toBe(false);
      if (many.ok) return;
      expect(many.error.message).toMatch(/^unseen\.txt: not explored, 120 errors to fix first/);
      expect(many.error.diagnostics).toHaveLength(50);
      expect(many.error.diagnostics!.map((d) => d.line)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const tooBig = await app.handle({ id: 99, type: 'explore', name: 'x.txt', text: 'beep C4 1', budget: 1e9 }, null);
      expect(tooBig).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
    }),
    60_000,
  );
});

import { describe, expect, it } from 'vitest';
import { play } from '../../support/core/session';

describe('repeat and loop', () => {
  it('repeats a sequence N times back to back', () => {
    const p = play(['repeat 3 beep 60 0.25; wait 0.25', 'beep 72 0.5']);
    p.run();
    expect(p.notes()).toEqual(['0:60', '0.25:', '0.5:60', '0.75:', '1:60', '1.25:', '1.5:72', '2:']);
  });

  it('loops until cancelled; a loop cancelled mid-chord releases the notes at the cancel', () => {
    const p = play(['loop chord 1 60 64 67; wait 0.5 &', 'wait 2.25', 'cancel t1', 'beep 72 0.5']);
    p.run();
    expect(p.notes()).toEqual(['0:60,64,67', '1:', '1.5:60,64,67', '2.25:72', '2.75:']);
    expect(p.end(p.task('loop chord 1 60 64 67; wait 0.5').id)).toBe('cancelled@2.25');
    expect(p.outputs()[1]).toMatch(/^cancelled t1 \(task \d+\): loop chord 1 60 64 67; wait 0.5$/);
  });

  it.each([
    ['loop add 60', 'add 60'],
    ['loop gather add 60 | remove 60', 'gather add 60 | remove 60'],
    ['loop block 1', 'block 1'],
    ['loop wait 0', 'wait 0'],
  ])('fails at once, located, when a pass takes no time: %s', (line, body) => {
    const p = play(['beep 50 0.5', `  ${line}`, 'beep 52 0.5']);
    p.run(100);
    const [d] = p.diagnostics();
    expect(d).toMatchObject({ line: 2, col: 3, endCol: line.length + 3 });
    expect(d.message).toBe(`loop never waits: one pass of "${body}" took no time, so the loop would hold the scheduler forever`);
    // The source goes on at once with its next line (after the one pass, which may have blocked).
    expect(p.task('beep 52 0.5').t).toBe(line === 'loop block 1' ? 1.5 : 0.5);
  });

  it('counts waiting, not blocking: a pass that blocks and waits is fine', () => {
    const p = play(['loop block 0.5; beep 60 0.5 &', 'wait 3', 'stop']);
    p.run();
    expect(p.diagnostics()).toEqual([]);
    expect(p.notes()).toEqual(['0.5:60', '1:', '1.5:60', '2:', '2.5:60', '3:']);
  });
});

describe('on the real clock', () => {
  it('a loop that never waits fails at once instead of holding the thread forever', async () => {
    const { RealTimeDriver } = await import('../../../src/core/scheduler');
    const { Session } = await import('../../../src/core/session');
    for (const body of ['add 60', 'block 0.02', 'gather add 60 | remove 60']) {
      const session = new Session();
      const messages: string[] = [];
      session.subscribe((e) => {
        if (e.type === 'diagnostic') messages.push(e.diagnostic.message);
      });
      const driver = new RealTimeDriver(session.scheduler);
      session.loadScript('live.txt', `loop ${body}\nbeep 60 0.01`);
      driver.start();
      // If the loop held the thread, this timer would never fire and the test would time out.
      await new Promise((resolve) => setTimeout(resolve, 60));
      driver.stop();
      expect(messages).toEqual([`loop never waits: one pass of "${body}" took no time, so the loop would hold the scheduler forever`]);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { play } from '../../support/core/session';

describe('help', () => {
  it('lists every concurrency command with its usage', () => {
    const p = play(['help']);
    p.run();
    for (const usage of ['spawn CMD', 'gather CMD | CMD | ...', 'group CMD | CMD | ...', 'settle CMD | CMD | ...', 'race CMD | CMD | ...', 'timeout S CMD', 'repeat N CMD', 'loop CMD', 'tasks', 'cancel NAME|ID', 'stop', 'panic', 'block S', 'offload S', 'fail [MESSAGE]', 'def NAME CMD; CMD; ...']) {
      expect(p.outputs()[0]).toContain(usage);
    }
  });
});

import { describe, expect, it } from 'vitest';

it('passes', () => expect(1).toBe(1));
it('skips with a reason', (context) => context.skip('sox is not installed'));
describe.skipIf(true)('skipped without a note', () => {
  it('never runs', () => expect(1).toBe(2));
});

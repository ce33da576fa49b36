import { afterAll, expect, it } from 'vitest';

afterAll(() => {
  throw new Error('could not stop the server');
});
it('passes', () => expect(1).toBe(1));

import { beforeAll, expect, it } from 'vitest';

beforeAll(() => {
  throw new Error('browserType.launch: Failed to launch chromium because executable doesn’t exist');
});
it('needs the browser', () => expect(1).toBe(1));
it('needs it too', () => expect(1).toBe(1));

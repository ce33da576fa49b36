import { expect, it } from 'vitest';

it('is collected first', () => expect(1).toBe(1));
throw new Error('this file cannot load');

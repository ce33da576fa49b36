// The summary reporter run on files that fail in every way a file can (see ../summary-reporter.test.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.fixture.ts'],
    pool: 'forks',
    reporters: ['../summary-reporter.ts'],
  },
});

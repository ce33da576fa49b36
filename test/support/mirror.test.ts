/**
 * The tests mirror the code (issue 17): the test of src/X/Y.ts is found under
 * test/X/, so a reader finds a module's tests where the module is. End-to-end
 * tests of the app (test/e2e), the lessons (test/examples) and the shared
 * harnesses and helpers (test/support) are the only folders of their own.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const TEST = join(ROOT, 'test');
/** Folders of test/ that test the whole rather than mirror one folder of the code. */
const OWN_FOLDERS = ['e2e', 'examples', 'support'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Where the code a test folder mirrors lives: test/scripts mirrors scripts/, every other test/X mirrors src/X. */
function mirroredFolder(testFolder: string): string {
  return testFolder === 'scripts' || testFolder.startsWith('scripts/') ? join(ROOT, testFolder) : join(ROOT, 'src', testFolder);
}

describe('the tests mirror src', () => {
  const files = filesUnder(TEST).map((path) => relative(TEST, path));
  const mirrored = files.filter((file) => !OWN_FOLDERS.includes(file.split('/')[0]));

  it('puts every test in the folder of the code it tests', () => {
    const astray = mirrored
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => file.split('/').slice(0, -1).join('/'))
      .filter((folder) => folder === '' || !existsSync(mirroredFolder(folder)));
    expect(astray, 'test folders with no folder of the same name in src/').toEqual([]);
  });

  it('keeps harnesses and shared helpers in test/support, beside no test', () => {
    // Data a test reads (fixtures/) may stay beside it; code that is not a test goes to test/support.
    const helpers = mirrored.filter((file) => /\.(ts|mts|js|mjs)$/.test(file) && !file.endsWith('.test.ts'));
    expect(helpers).toEqual([]);
  });
});

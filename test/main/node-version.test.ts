/**
 * `engines` in package.json is true: every Node version it admits runs the
 * CLI, web mode and the tests (the engines of the packages they run on), and
 * the desktop window's packages, which want more, are named in the README.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/main/build';

// semver as dependency-cruiser (a devDependency) resolves it: always installed with it.
const semver = createRequire(join(ROOT, 'node_modules/dependency-cruiser/package.json'))('semver') as {
  subset(sub: string, dom: string): boolean;
  satisfies(version: string, range: string): boolean;
};

const engines = (name: string): string => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { engines?: { node?: string } };
  return pkg.engines?.node ?? '*';
};
const ours = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;

describe('the Node versions package.json admits', () => {
  it('run every package the CLI, web mode, the build and the tests run on', () => {
    for (const name of ['tsx', 'ws', 'vite', 'electron-vite', 'vitest', 'dependency-cruiser', 'typescript', 'playwright-core', 'fast-check']) {
      expect(semver.subset(ours, engines(name)), `${name} wants ${engines(name)}`).toBe(true);
    }
  });

  it('include the Node versions the README names (20.19 and 22.12)', () => {
    expect(semver.satisfies('20.19.0', ours)).toBe(true);
    expect(semver.satisfies('22.12.0', ours)).toBe(true);
    expect(semver.satisfies('20.18.0', ours)).toBe(false);
    expect(semver.satisfies('22.11.0', ours)).toBe(false);
  });

  it('leave out what the desktop window needs, which the README says (Electron 45 and its downloader: 22.12+)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const name of ['electron', '@electron/get']) {
      const wants = engines(name);
      expect(semver.satisfies('22.12.0', wants), `${name} wants ${wants}`).toBe(true);
      if (!semver.subset(ours, wants)) expect(readme).toContain(`\`${name}\``);
    }
    expect(readme).toMatch(/desktop window.*\| 22\.12\+ \|/);
  });
});

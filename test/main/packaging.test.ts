/**
 * The packaging configuration (electron-builder.json), by contract: the
 * Electron fuses a packaged corotone is built with, and what the packaged
 * main process expects to find (the build output in the ASAR archive, the
 * resources beside it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/main/build';

interface BuilderConfig {
  asar?: boolean | Record<string, unknown>;
  files?: string[];
  extraResources?: { from: string; to: string }[];
  electronFuses?: Record<string, boolean>;
}

const config = JSON.parse(readFileSync(join(ROOT, 'electron-builder.json'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };

describe('the packaged app’s fuses', () => {
  // electron-builder's names for @electron/fuses' FuseV1Options, and the value each must have.
  const wanted: Record<string, boolean> = {
    runAsNode: false, // ELECTRON_RUN_AS_NODE turns the app into a plain Node
    enableNodeOptionsEnvironmentVariable: false, // NODE_OPTIONS could inject code
    enableNodeCliInspectArguments: false, // --inspect would open a debugger on the main process
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false, // the renderer loads from app://, never file://
  };

  for (const [fuse, value] of Object.entries(wanted)) {
    it(`sets ${fuse} ${value ? 'on' : 'off'}`, () => {
      expect(config.electronFuses?.[fuse]).toBe(value);
    });
  }

  it('sets no fuse but these (a misspelt one would be ignored by the packager)', () => {
    expect(Object.keys(config.electronFuses ?? {}).sort()).toEqual(Object.keys(wanted).sort());
  });

  it('packs the app into an ASAR archive, which the integrity and only-from-ASAR fuses need', () => {
    expect(config.asar).toBe(true);
  });
});

describe('the packaged app’s files', () => {
  it('holds the build the main process starts from', () => {
    expect(pkg.main).toBe('./out/main/index.js');
    expect(config.files).toContain('out/**/*');
    expect(config.files).toContain('package.json');
  });

  it('puts resources/ (the examples) where the packaged main process reads it: process.resourcesPath/resources', () => {
    const main = readFileSync(join(ROOT, 'src/main/index.ts'), 'utf8');
    expect(main).toContain("join(process.resourcesPath, 'resources')");
    expect(config.extraResources).toContainEqual({ from: 'resources', to: 'resources' });
  });

  it('is made by `npm run dist`, after the build', () => {
    expect(pkg.scripts.dist).toMatch(/^electron-vite build && .*electron-builder.*--config electron-builder\.json/);
  });
});

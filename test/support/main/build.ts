/**
 * Builds the app once with electron-vite's own config into a scratch folder,
 * next to a fake `electron` package (so nothing ever loads the real one, which
 * would try to download its binary).
 */
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');

export interface BuiltApp {
  dir: string;
  mainFile: string;
  preloadFile: string;
  rendererIndex: string;
  /** Why the build failed, if it did (main and preload build first, so a renderer failure leaves them usable). */
  error: string | null;
}

/** The names the shim re-exports from globalThis.__corotoneFakeElectron. */
const ELECTRON_EXPORTS = ['app', 'BrowserWindow', 'Menu', 'dialog', 'ipcMain', 'protocol', 'session', 'shell', 'contextBridge', 'ipcRenderer'];

export async function buildApp(): Promise<BuiltApp> {
  const dir = mkdtempSync(join(tmpdir(), 'corotone-main-'));
  const outDir = join(dir, 'out');
  const { build } = await import('electron-vite');
  let error: string | null = null;
  try {
    await build({ configFile: join(ROOT, 'electron.vite.config.ts'), root: ROOT, logLevel: 'silent', build: { outDir } });
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  // The fake electron, where Node resolves `electron` from the built bundle.
  const fake = join(dir, 'node_modules', 'electron');
  mkdirSync(fake, { recursive: true });
  writeFileSync(join(fake, 'package.json'), JSON.stringify({ name: 'electron', type: 'module', main: 'index.js' }));
  writeFileSync(
    join(fake, 'index.js'),
    `const e = globalThis.__corotoneFakeElectron;\nif (!e) throw new Error('fake electron not installed');\n` +
      ELECTRON_EXPORTS.map((name) => `export const ${name} = e.${name};`).join('\n') +
      '\nexport default e;\n',
  );
  // The bundle's other external imports resolve to the real packages.
  symlinkSync(join(ROOT, 'node_modules', 'valibot'), join(dir, 'node_modules', 'valibot'), 'dir');
  // resources/ sits two levels above out/main, as in the repository.
  symlinkSync(join(ROOT, 'resources'), join(dir, 'resources'), 'dir');
  return {
    dir,
    mainFile: join(outDir, 'main', 'index.js'),
    preloadFile: join(outDir, 'preload', 'index.cjs'),
    rendererIndex: join(outDir, 'renderer', 'index.html'),
    error,
  };
}

/**
 * A second copy of a build, to start the main process again in the same test
 * process (ESM loads each file once): its own fake `electron` shim reads the
 * fake installed when the copy is imported.
 */
export function copyBuiltApp(built: BuiltApp): BuiltApp {
  const dir = mkdtempSync(join(tmpdir(), 'corotone-main-copy-'));
  cpSync(built.dir, dir, { recursive: true, verbatimSymlinks: true });
  const moved = (path: string) => join(dir, path.slice(built.dir.length));
  return { dir, mainFile: moved(built.mainFile), preloadFile: moved(built.preloadFile), rendererIndex: moved(built.rendererIndex), error: built.error };
}

/**
 * Import the built bundle. It lives outside the project, so the test runner
 * leaves it to Node, which resolves its `electron` to the fake next to it.
 */
export function nativeImport(url: string): Promise<unknown> {
  return import(/* @vite-ignore */ url);
}

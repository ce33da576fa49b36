/**
 * Builds the renderer page with Vite (the same root and entry electron-vite
 * uses) into test-artifacts/e2e-renderer, for web mode to serve in the tests.
 */
import { resolve } from 'node:path';
import { build } from 'vite';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const RENDERER_OUT = resolve(ROOT, 'test-artifacts/e2e-renderer');

export async function buildRenderer(outDir = RENDERER_OUT): Promise<string> {
  await build({
    root: resolve(ROOT, 'src/renderer'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    // one bundle on purpose (Tone.js and xterm.js are most of it): the page is served locally
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2048, rolldownOptions: { input: resolve(ROOT, 'src/renderer/index.html') } },
  });
  return outDir;
}

/**
 * electron-vite's three builds (template layout: src/main, src/preload,
 * src/renderer). The preload runs sandboxed, where `require` knows only
 * `electron`: it is built as ONE CommonJS file with the protocol and valibot
 * bundled in (externalizeDeps off), `out/preload/index.cjs`. Main has a second
 * entry, the export worker (`out/main/export-worker.js`), which
 * src/node/export/worker-export.ts starts from beside `out/main/index.js`.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      lib: {
        entry: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          // The export worker, a worker_threads entry the main process starts from beside index.js.
          'export-worker': resolve(import.meta.dirname, 'src/node/export/export-worker.ts'),
        },
        formats: ['es'],
      },
      rolldownOptions: { output: { entryFileNames: '[name].js' } },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      lib: { entry: resolve(import.meta.dirname, 'src/preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: {
        output: { format: 'cjs', entryFileNames: 'index.cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    build: {
      rolldownOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
  },
});

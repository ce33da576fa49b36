#!/usr/bin/env node
// Builds the corotone command into dist/cli/ with esbuild, so a start runs
// plain JavaScript instead of compiling TypeScript through tsx (1.6 s to
// 0.1 s for --help; BENCHMARKS.md). Run by `prepare` at `npm install` and
// `npm ci`, and by hand with `npm run build:cli`. bin/corotone.mjs uses the
// bundle only while no source it was built from is newer (inputs.json),
// and otherwise falls back to tsx, so an edit never runs stale code.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Where to build (default dist/cli; a test builds a copy elsewhere in the package).
const outdir = process.argv[2] ? join(root, process.argv[2]) : join(root, 'dist', 'cli');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // An install without devDependencies: the command still runs, through tsx.
  console.warn('corotone: esbuild is not installed; the CLI will run from source through tsx');
  process.exit(0);
}

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: {
    main: 'src/node/cli/main.ts',
    // The export worker (web mode) is started by URL, beside the chunk that starts it.
    'export-worker': 'src/node/export/export-worker.ts',
  },
  outdir,
  bundle: true,
  splitting: true, // web mode, loaded only for `corotone web`, is a chunk of its own
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external', // ws, valibot, tsx: resolved from node_modules at run time
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules'));
writeFileSync(join(outdir, 'inputs.json'), JSON.stringify({ inputs: inputs.map((p) => relative(root, join(root, p))) }));
console.log(`corotone: CLI built into ${relative(root, outdir)}/ (${inputs.length} sources)`);

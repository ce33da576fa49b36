#!/usr/bin/env node
// The corotone command. It runs the esbuild bundle in dist/cli/ (made by
// `npm install` through `prepare`, or `npm run build:cli`) while no source it
// was built from has changed since; otherwise, and in a checkout without a
// bundle, it runs the TypeScript through tsx (slower to start, never stale).
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const bundle = new URL('dist/cli/main.js', root);

function bundleIsFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(new URL('dist/cli/inputs.json', root), 'utf8'));
    return inputs.every((path) => statSync(new URL(path, root)).mtimeMs <= built);
  } catch {
    return false; // no bundle, or a source it was built from is gone
  }
}

let main;
if (process.env.COROTONE_FROM_SOURCE !== '1' && bundleIsFresh()) {
  ({ main } = await import(bundle.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/node/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));

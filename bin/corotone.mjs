#!/usr/bin/env node
// The corotone command. The CLI is TypeScript run through tsx, so the repo
// needs no build step before `npx corotone`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/node/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

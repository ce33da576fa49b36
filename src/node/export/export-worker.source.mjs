// The export worker run from source (tests, `npx corotone web`): the worker
// thread does not inherit the tsx loader of the thread that started it, so it
// registers tsx itself before loading the TypeScript entry (as bin/corotone.mjs
// does). The built app starts out/main/export-worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./export-worker.ts');

import { block, def, offload } from './work';
import { cancel, fail, gather, loop, panic, race, repeat, settle, spawn, stop, tasks, timeout } from './tasks';

export * from './parts';
export * from './tasks';
export * from './watch';
export * from './work';

/** The language's concurrency commands, in the order help lists them. */
export const concurrencyCommands = [spawn, gather, settle, race, timeout, repeat, loop, tasks, cancel, stop, panic, block, offload, fail, def];

export * from './errors';
export * from './events';
export * from './future';
export * from './ops';
export * from './realtime';
export * from './scheduler';
export * from './task';

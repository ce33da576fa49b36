export * from './render-script';
export * from './worker-export';
export * from './render-limit';

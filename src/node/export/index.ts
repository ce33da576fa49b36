export * from './render-script';
export * from './worker-export';

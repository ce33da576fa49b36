export * from './app-session';
export * from './batcher';
export * from './engine';
export * from './recorder';
export * from './examples';
export * from './handlers';

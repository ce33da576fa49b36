export * from './worker-executor';

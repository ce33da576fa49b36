export * from './chrome-trace';

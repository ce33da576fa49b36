export * from './notes';
export * from './stream';

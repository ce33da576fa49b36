export * from './notes';
export * from './stream';
export * from './voice';
export * from './fx';

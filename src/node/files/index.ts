export * from './atomic-write';
export * from './file-error';
export * from './read-script';
export * from './wav-file';
export * from './package-root';
export * from './output-file';

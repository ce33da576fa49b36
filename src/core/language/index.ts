export * from './args';
export * from './command';
export * from './diagnostics';
export * from './interpreter';
export * from './numbers';
export * from './parser';
export * from './pitch';
export * from './tokens';

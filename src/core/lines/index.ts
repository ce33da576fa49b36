export * from './line';
export * from './queue';
export * from './splitter';
export * from './text';
export * from './utf8';

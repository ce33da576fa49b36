export * from './api';
export * from './session';

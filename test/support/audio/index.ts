export * from './fft';
export * from './onset';
export * from './pitch';
export * from './steps';
export * from './wav';
export * from './spectrum';

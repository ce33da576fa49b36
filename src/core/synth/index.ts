export * from './format';
export * from './phase';
export * from './render';
export * from './synth';
export * from './wav';

export * from './format';
export * from './phase';
export * from './render';
export * from './synth';
export * from './wav';
export * from './exact';
export * from './limiter';
export * from './oscillator';

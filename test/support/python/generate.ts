/**
 * Random scripts of the concurrency commands, from a seed (the same seed, the
 * same scripts). Without `block`, `wait 0` and timeouts that tie with their
 * command: at such exact ties corotone and asyncio order one instant
 * differently (docs/python-export.md says where).
 */
export function generatedScripts(seed: number, count: number): string[] {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const seconds = () => pick(['0.25', '0.5', '1', '1.5']);
  const note = () => String(48 + Math.floor(random() * 24));
  const simple = () =>
    pick([
      () => `beep ${note()} ${seconds()}`,
      () => `chord ${seconds()} ${note()} ${note()}`,
      () => `wait ${seconds()}`,
      () => `add ${note()}`,
      () => `remove ${note()}`,
      () => 'fail oops',
      () => `offload ${seconds()}`,
    ])();
  const steps = () => Array.from({ length: 1 + Math.floor(random() * 3) }, simple).join('; ');
  const command = () =>
    pick([
      () => steps(),
      () => `gather ${steps()} | ${steps()}`,
      () => `group ${steps()} | ${steps()}`,
      () => `settle ${steps()} | ${steps()}`,
      () => `race ${steps()} | ${steps()}`,
      () => `timeout 0.7 ${steps()}`,
      () => `repeat 2 ${steps()}`,
      () => `${steps()} &`,
      () => `loop ${steps()}; wait 0.5 &`,
      () => 'stop',
      () => 'cancel t1',
      () => 'riff',
    ])();
  return Array.from({ length: count }, () =>
    ['def riff beep 70 0.25; wait 0.25', ...Array.from({ length: 3 + Math.floor(random() * 4) }, command), 'wait 2', 'stop'].join('\n'),
  );
}

import { describe, expect, it } from 'vitest';
import { chromiumFeatureArgs, disableChromiumFeatures } from '../../src/main/chromium-switches';

/** A command line as Electron keeps it: the last value appended for a switch wins. */
function commandLine(initial: Record<string, string> = {}) {
  const switches = new Map(Object.entries(initial));
  return {
    switches,
    getSwitchValue: (name: string) => switches.get(name) ?? '',
    appendSwitch: (name: string, value = '') => void switches.set(name, value),
  };
}

describe("the shell's Chromium does not hold a typed line's note until the next frame (issue 18, item 17)", () => {
  it('turns DeferRendererTasksAfterInput off', () => {
    const line = commandLine();
    disableChromiumFeatures(line);
    expect(line.switches.get('disable-features')?.split(',')).toContain('DeferRendererTasksAfterInput');
  });

  it('keeps the features the command line already turned off, and names each once', () => {
    const line = commandLine({ 'disable-features': 'Foo, DeferRendererTasksAfterInput' });
    disableChromiumFeatures(line);
    expect(line.switches.get('disable-features')).toBe('Foo,DeferRendererTasksAfterInput');
  });

  it('gives the same switch to a Chromium the tests start', () => {
    expect(chromiumFeatureArgs()).toEqual(['--disable-features=DeferRendererTasksAfterInput']);
  });
});

/** The application menu's template (src/main/menu.ts), built without Electron. */
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, type MenuActions } from '../../src/main/menu';

const noActions: MenuActions = {
  openScript() {},
  openPath() {},
  openExample() {},
  clearRecent() {},
  saveSessionAs() {},
  exportAudio() {},
  stopAll() {},
  panic() {},
  setSpeed() {},
  togglePause() {},
  step() {},
};

type Item = { label?: string; role?: string; accelerator?: string; submenu?: Item[] };
const roles = (template: Item[]) => JSON.stringify(template).match(/"role":"[^"]+"/g) ?? [];

describe('the menu', () => {
  it('offers DevTools only in a build that is not packaged', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const dev = buildMenuTemplate(noActions, [], [], { platform, packaged: false }) as Item[];
      const packaged = buildMenuTemplate(noActions, [], [], { platform, packaged: true }) as Item[];
      expect(roles(dev)).toContain('"role":"toggleDevTools"');
      expect(roles(packaged)).not.toContain('"role":"toggleDevTools"');
      // Everything else stays.
      expect(roles(packaged)).toEqual(roles(dev).filter((r) => r !== '"role":"toggleDevTools"'));
    }
  });

  it('plays at the speed its items name', () => {
    const speeds: number[] = [];
    const template = buildMenuTemplate({ ...noActions, setSpeed: (speed) => void speeds.push(speed) }, [], [], { platform: 'linux', packaged: true }) as (Item & { submenu?: (Item & { click?: () => void })[] })[];
    const playback = template.find((i) => i.label === '&Playback')!.submenu!;
    for (const item of playback) item.click?.();
    expect(speeds).toEqual([1, 0.5, 0.25]);
  });

  it('pauses and steps with the items that name them', () => {
    const asked: string[] = [];
    const template = buildMenuTemplate({ ...noActions, togglePause: () => void asked.push('pause'), step: (kind) => void asked.push(kind) }, [], [], { platform: 'linux', packaged: true }) as (Item & { submenu?: (Item & { click?: () => void })[] })[];
    const playback = template.find((i) => i.label === '&Playback')!.submenu! as (Item & { click?: () => void })[];
    for (const label of ['Pause / Continue', 'Step', 'Step to the Next Instant', 'Step Line']) playback.find((i) => i.label === label)!.click!();
    expect(asked).toEqual(['pause', 'step', 'next-instant', 'line']);
  });
});

/**
 * The light and dark themes as a panel: the toolbar's toggle (and its key),
 * and telling what does not draw with CSS (the terminal, the timeline's
 * canvas) to take the theme's colours again.
 */
import type { Panel } from '../panel';
import { byId, type Page } from '../page';
import { currentTheme, installTheme, onThemeChange, toggleTheme } from '../theme';

export class ThemePanel implements Panel {
  private readonly button = byId<HTMLButtonElement>('theme-toggle');
  private readonly unsubscribe: () => void;

  constructor(private readonly page: Page) {
    installTheme();
    this.unsubscribe = onThemeChange(() => this.apply());
    this.button.addEventListener('click', () => void toggleTheme());
    page.keys.on('toggle-theme', () => void toggleTheme());
    this.apply();
  }

  dispose(): void {
    this.unsubscribe();
  }

  private apply(): void {
    const theme = currentTheme();
    this.button.textContent = theme === 'light' ? '☾' : '☀';
    this.button.setAttribute('aria-label', `Switch to the ${theme === 'light' ? 'dark' : 'light'} theme`);
    this.page.terminal.applyTheme();
    this.page.timeline.invalidate();
  }
}

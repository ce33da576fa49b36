/**
 * The page's colour theme: light or dark, following the system's
 * `prefers-color-scheme` until the user picks one (the toolbar's toggle; kept
 * in localStorage). Colours live in styles.css as CSS variables; what draws on
 * a canvas (the timeline) or through its own options (xterm) reads them here.
 */

export type ThemeName = 'light' | 'dark';

const STORAGE_KEY = 'corotone.theme';
let version = 0;
const listeners = new Set<() => void>();

function systemTheme(): ThemeName {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

function storedTheme(): ThemeName | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

/** The theme in force: the one picked, else the system's. */
export function currentTheme(): ThemeName {
  const picked = document.documentElement.dataset.theme;
  return picked === 'light' || picked === 'dark' ? picked : systemTheme();
}

/** Apply the stored choice (if any) and follow the system's changes. Call once at start. */
export function installTheme(): void {
  const stored = storedTheme();
  if (stored !== null) document.documentElement.dataset.theme = stored;
  if (typeof matchMedia === 'function') matchMedia('(prefers-color-scheme: light)').addEventListener('change', changed);
}

/** Switch to the other theme and remember it. Returns the theme now in force. */
export function toggleTheme(): ThemeName {
  const next: ThemeName = currentTheme() === 'light' ? 'dark' : 'light';
  document.documentElement.dataset.theme = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // storage blocked: the choice lasts for this page
  }
  changed();
  return next;
}

/** Bumped on every change of theme, for whoever caches colours. */
export function themeVersion(): number {
  return version;
}

/** Call `listener` whenever the theme changes. Returns unsubscribe. */
export function onThemeChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A CSS variable of the page (`--tl-bg`), or `fallback` where it is not set (tests without the style sheet). */
export function cssColour(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

function changed(): void {
  version++;
  for (const listener of listeners) listener();
}

/**
 * The timeline's colours. Most come from the theme's CSS variables
 * (styles.css, --tl-*) and are read again when the theme changes
 * ({@link refreshThemeColours}, once per frame, cheap when nothing changed).
 */
import { cssColour, themeVersion } from '../theme';
import { STATE_NAMES } from './model';

/** A bar's colour per state (index = StateCode). */
export const STATE_COLOURS: string[] = [
  '#7f8c9a', // ready
  '#4fc3f7', // running
  '#5c6bc0', // sleeping
  '#ff8a3d', // blocking
  '#b26ad8', // waiting
  '#4caf73', // done
  '#ef5350', // failed
  '#f2c94c', // cancelled
];

/**
 * The three kinds of trouble differ in shape and colour: late events are orange
 * columns at the foot of the piano roll, loop lag a violet notch in the lane's
 * header, a failure a red cross on its bar, and the engine falling behind a
 * yellow band on the ruler.
 */
export const palette = {
  bg: '#12151b',
  laneBg: ['#171b23', '#1a1f28'],
  grid: '#242a35',
  text: '#aab4c3',
  note: '#38d6b5',
  late: '#ff9f43',
  lag: '#c58cff',
  now: '#ffffff',
  waitLine: '#c99cf0',
  cancelLine: '#ff6b6b',
  sessionBreak: '#8893a5',
  rollBg: '#151a22',
  rulerBg: '#0e1116',
  // not themed
  failure: '#ff4d4f',
  behind: '#ffd166',
  scrollbar: '#3a4354',
  scrollThumb: '#7d8aa0',
  cueLine: '#6fd3ff',
  swap: '#6fd3ff',
  labelText: '#0c0f14',
};

let coloursOf = -1;

export function refreshThemeColours(): void {
  if (coloursOf === themeVersion()) return;
  coloursOf = themeVersion();
  STATE_NAMES.forEach((name, i) => (STATE_COLOURS[i] = cssColour(`--tl-${name}`, STATE_COLOURS[i])));
  const p = palette;
  p.bg = cssColour('--tl-bg', p.bg);
  p.laneBg = [cssColour('--tl-lane-a', p.laneBg[0]), cssColour('--tl-lane-b', p.laneBg[1])];
  p.grid = cssColour('--tl-grid', p.grid);
  p.text = cssColour('--tl-text', p.text);
  p.note = cssColour('--tl-note', p.note);
  p.late = cssColour('--tl-late', p.late);
  p.lag = cssColour('--tl-lag', p.lag);
  p.now = cssColour('--tl-now', p.now);
  p.waitLine = cssColour('--tl-wait', p.waitLine);
  p.cancelLine = cssColour('--tl-cancel', p.cancelLine);
  p.sessionBreak = cssColour('--tl-break', p.sessionBreak);
  p.rollBg = cssColour('--tl-roll-bg', p.rollBg);
  p.rulerBg = cssColour('--tl-ruler-bg', p.rulerBg);
}

/** The demo's tuning: note n sounds at 16.35 * 2^(n/12) Hz (0 = C0, 57 = A4, 60 = C5). */
export const C0_HZ = 16.35;
export const LOWEST_NOTE = 0;
export const HIGHEST_NOTE = 127;

export function noteFrequency(note: number): number {
  return C0_HZ * 2 ** (note / 12);
}

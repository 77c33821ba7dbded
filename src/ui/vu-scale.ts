// VU meter math, pure: dBFS → bar cells, the scale under the bar, and the
// ballistics (peak hold, fall-back) applied to each level the audio path measured.
import type { Level } from './bridge/types.js';

/** The bar's left end; quieter reads as an empty bar. */
export const VU_FLOOR_DBFS = -60;
/** A new peak is held this long before the marker starts to fall. */
export const PEAK_HOLD_MS = 1500;
/** How fast the bar and the held peak fall back (a PPM-like 20 dB/s). */
export const FALL_DB_PER_S = 20;

/** Cells lit for `dbfs` on a bar `width` cells wide spanning floor…0 dBFS. */
export function barCells(dbfs: number, width: number, floor = VU_FLOOR_DBFS): number {
  if (!(width > 0)) return 0;
  const clamped = Math.min(0, Math.max(floor, Number.isFinite(dbfs) ? dbfs : floor));
  return Math.round(((clamped - floor) / -floor) * width);
}

/**
 * Tick labels every 10 dB under a bar `width` cells wide: each label ends
 * above the last cell lit at that level (the floor's starts at the left
 * edge); a label that would touch its right neighbour is left out.
 */
export function scaleLine(width: number, floor = VU_FLOOR_DBFS): string {
  const row = Array.from({ length: Math.max(0, width) }, () => ' ');
  let limit = width; // labels must end before this cell
  for (let db = 0; db >= floor; db -= 10) {
    const label = String(db);
    const end = db <= floor ? label.length - 1 : barCells(db, width, floor) - 1;
    const start = end - label.length + 1;
    if (start < 0 || end >= limit) continue;
    for (let i = 0; i < label.length; i++) row[start + i] = label[i]!;
    limit = start - 1;
  }
  return row.join('').trimEnd();
}

export interface VuState {
  /** What the bar shows: the measured peak, or a fall from the previous one. */
  peakDbfs: number;
  rmsDbfs: number;
  /** The peak-hold marker. */
  holdDbfs: number;
  holdUntilMs: number;
  atMs: number;
}

export const SILENT_VU: VuState = { peakDbfs: -120, rmsDbfs: -120, holdDbfs: -120, holdUntilMs: 0, atMs: 0 };

/** The meter after `level` was measured at `nowMs` (time passed in, never read). */
export function nextVu(prev: VuState, level: Level, nowMs: number): VuState {
  const fall = (FALL_DB_PER_S * Math.max(0, nowMs - prev.atMs)) / 1000;
  const peak = Math.max(level.peakDbfs, prev.peakDbfs - fall);
  let hold = prev.holdDbfs;
  let holdUntil = prev.holdUntilMs;
  if (level.peakDbfs >= hold) {
    hold = level.peakDbfs;
    holdUntil = nowMs + PEAK_HOLD_MS;
  } else if (nowMs > holdUntil) {
    const fallen = (FALL_DB_PER_S * (nowMs - Math.max(holdUntil, prev.atMs))) / 1000;
    hold = Math.max(peak, hold - fallen);
  }
  return { peakDbfs: peak, rmsDbfs: level.rmsDbfs, holdDbfs: hold, holdUntilMs: holdUntil, atMs: nowMs };
}

/** True when the two would draw the same bar (lets the hook skip a render). */
export function sameDrawing(a: VuState, b: VuState, width: number): boolean {
  return (
    barCells(a.peakDbfs, width) === barCells(b.peakDbfs, width) &&
    barCells(a.rmsDbfs, width) === barCells(b.rmsDbfs, width) &&
    barCells(a.holdDbfs, width) === barCells(b.holdDbfs, width) &&
    Math.round(a.peakDbfs) === Math.round(b.peakDbfs) &&
    Math.round(a.rmsDbfs) === Math.round(b.rmsDbfs)
  );
}

/** Where the bar turns yellow, then red (dBFS). */
export const VU_WARN_DBFS = -18;
export const VU_HOT_DBFS = -6;

/** The cells of one bar, left to right: lit green, yellow, red, unlit, the hold marker (if shown), unlit. */
export interface VuCells {
  green: number;
  yellow: number;
  red: number;
  restBefore: number;
  /** The hold marker's colour band, or null when it is not drawn (under the bar, or at the floor). */
  hold: 'green' | 'yellow' | 'red' | null;
  restAfter: number;
}

/** How a bar `width` cells wide draws `dbfs` with the peak hold at `holdDbfs` (the screen's meter and its in-place redraw alike). */
export function vuCells(dbfs: number, holdDbfs: number | undefined, width: number): VuCells {
  const lit = barCells(dbfs, width);
  const warnAt = barCells(VU_WARN_DBFS, width);
  const hotAt = barCells(VU_HOT_DBFS, width);
  const hold = holdDbfs === undefined ? -1 : barCells(holdDbfs, width) - 1;
  const showHold = hold >= lit && hold < width && holdDbfs! > VU_FLOOR_DBFS;
  return {
    green: Math.min(lit, warnAt),
    yellow: Math.max(0, Math.min(lit, hotAt) - warnAt),
    red: Math.max(0, lit - hotAt),
    restBefore: showHold ? hold - lit : width - lit,
    hold: showHold ? (hold >= hotAt ? 'red' : hold >= warnAt ? 'yellow' : 'green') : null,
    restAfter: showHold ? width - hold - 1 : 0,
  };
}

// The history charts' cells, pure: one block glyph a second, scaled to the
// largest value the visible window holds. A second with no data is drawn as
// its own glyph, never as a zero, and the seconds before the history began
// are blank, so every chart still reads without colour (NO_COLOR).

/** Zero, then seven heights: any value above zero is at least ▂, so a small loss never reads as none. */
export const SPARK_GLYPHS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
/** A second that says nothing (no packets, no report): not a zero. */
export const NO_DATA_GLYPH = '·';
/** Before the history began. */
export const BLANK_GLYPH = ' ';

/** `zero`: a second whose value is 0 (drawn ▁); `value`: above 0 (▂ to █). */
export type SparkKind = 'blank' | 'no-data' | 'zero' | 'value';

/** Height 0…7 of `v` against `max` (0 only for 0). */
export function sparkLevel(v: number, max: number): number {
  if (!(v > 0) || !(max > 0)) return 0;
  return Math.min(7, Math.max(1, Math.ceil((v / max) * 7)));
}

export interface SparkRun {
  kind: SparkKind;
  text: string;
}

export interface SparkCells {
  /** Runs of cells of one kind, left to right: a chart draws as a handful of Text nodes. */
  runs: SparkRun[];
  /** The largest value in the window (0 when it holds none); the scale's label. */
  max: number;
  /** The newest value, null when the newest second has no data or there is none. */
  last: number | null;
  /** Seconds of history drawn (the rest of the width is blank). */
  seconds: number;
}

/**
 * `width` cells for the last `width` seconds of `values` (oldest first), the
 * newest on the right. `floor` keeps the scale from shrinking below it (a
 * target the values are drawn against, or a unit's smallest honest step).
 */
export function sparkCells(values: readonly (number | null)[], width: number, floor = 0): SparkCells {
  const w = Math.max(0, Math.floor(width));
  const recent = values.slice(Math.max(0, values.length - w));
  let max = floor > 0 ? floor : 0;
  for (const v of recent) if (v !== null && Number.isFinite(v) && v > max) max = v;
  const runs: SparkRun[] = [];
  const push = (kind: SparkKind, ch: string): void => {
    const last = runs.at(-1);
    if (last && last.kind === kind) last.text += ch;
    else runs.push({ kind, text: ch });
  };
  for (let i = recent.length; i < w; i++) push('blank', BLANK_GLYPH);
  for (const v of recent) {
    if (v === null || !Number.isFinite(v)) push('no-data', NO_DATA_GLYPH);
    else {
      const level = sparkLevel(v, max);
      push(level === 0 ? 'zero' : 'value', SPARK_GLYPHS[level]!);
    }
  }
  const newest = recent.at(-1);
  return { runs, max, last: newest === undefined || newest === null || !Number.isFinite(newest) ? null : newest, seconds: recent.length };
}

/** A scale's number: `0.25`, `4.0`, `12`, `1.2k` — at most four characters of digits. */
export function fmtScale(v: number): string {
  if (!Number.isFinite(v) || v <= 0) return '0';
  if (v >= 9999.5) return `${(v / 1000).toFixed(v >= 99950 ? 0 : 1)}k`;
  if (v >= 99.5) return v.toFixed(0);
  if (v >= 9.95) return v.toFixed(0);
  if (v >= 0.995) return v.toFixed(1);
  return v.toFixed(2);
}

/** The receiver's history per second, as the charts draw it. */
export interface HistorySecond {
  received: number;
  lost: number;
  concealedMs: number;
  jitterMs?: number | null;
  bufferMs?: number | null;
  targetMs?: number;
}

/** Loss % of a second: lost of (received + lost); null when nothing was expected (no data). */
export function lossPercentOf(g: Pick<HistorySecond, 'received' | 'lost'>): number | null {
  const expected = g.received + g.lost;
  return expected > 0 ? (100 * g.lost) / expected : null;
}

export interface HistorySeries {
  loss: (number | null)[];
  jitter: (number | null)[];
  delay: (number | null)[];
  concealed: (number | null)[];
  /** The newest second's playout target (0 while none is known). */
  targetMs: number;
}

/**
 * The four charts' values from the per-second history. A second with no
 * packets has no loss, jitter or delay to show (no data), and conceals
 * nothing new only if a stream was there: before one, nothing is data.
 */
export function historySeries(gaps: readonly HistorySecond[]): HistorySeries {
  const loss: (number | null)[] = [];
  const jitter: (number | null)[] = [];
  const delay: (number | null)[] = [];
  const concealed: (number | null)[] = [];
  let targetMs = 0;
  for (const g of gaps) {
    const silent = g.received === 0 && g.lost === 0;
    loss.push(lossPercentOf(g));
    jitter.push(silent ? null : (g.jitterMs ?? null));
    delay.push(silent ? null : (g.bufferMs ?? null));
    concealed.push(silent && g.concealedMs === 0 ? null : g.concealedMs);
    if (g.targetMs !== undefined && g.targetMs > 0) targetMs = g.targetMs;
  }
  return { loss, jitter, delay, concealed, targetMs };
}

export interface HistogramBin {
  /** `0–1`, `50+`: the bin's range in ms. */
  label: string;
  count: number;
  glyph: string;
}

/** The bins with their labels and a height each, scaled to the fullest bin (an empty bin is ▁). */
export function histogramBins(edgesMs: readonly number[], counts: readonly number[]): HistogramBin[] {
  const max = Math.max(0, ...counts);
  return edgesMs.map((lo, i) => {
    const hi = edgesMs[i + 1];
    const count = counts[i] ?? 0;
    return { label: hi === undefined ? `${lo}+` : `${lo}–${hi}`, count, glyph: SPARK_GLYPHS[sparkLevel(count, max)]! };
  });
}

// The gap strip's cells, pure: one per second, newest on the right, each
// saying the worst thing that happened in that second.
import type { SecondGaps } from './bridge/types.js';

export type GapKind = 'none' | 'clean' | 'no-data' | 'lost' | 'late' | 'reordered' | 'duplicate';

/** Glyphs differ by kind, so the strip still reads without colour (NO_COLOR). */
export const GAP_GLYPH: Record<GapKind, string> = {
  none: ' ',
  clean: '·',
  // Low, unlike the centred dot: a silent link must not read as a clean one.
  'no-data': '_',
  lost: '█',
  late: '▓',
  reordered: '▒',
  duplicate: '░',
};

/** Lost audio is worst, then late (played as concealment), then merely reordered or doubled. */
export function gapKind(g: SecondGaps): GapKind {
  if (g.lost > 0) return 'lost';
  if (g.late > 0) return 'late';
  if (g.reordered > 0) return 'reordered';
  if (g.duplicates > 0) return 'duplicate';
  return g.received === 0 ? 'no-data' : 'clean';
}

/** The legend's word for each kind a cell can show. */
export const GAP_LABEL: Record<Exclude<GapKind, 'none'>, string> = {
  clean: 'clean',
  lost: 'lost',
  late: 'late',
  reordered: 'reordered',
  duplicate: 'dup',
  'no-data': 'no data',
};

/** `width` cells: the last `width` seconds, padded with 'none' on the left while history is short. */
export function gapCells(gaps: readonly SecondGaps[], width: number): GapKind[] {
  const recent = gaps.slice(Math.max(0, gaps.length - width));
  const pad: GapKind[] = Array.from({ length: Math.max(0, width - recent.length) }, () => 'none');
  return [...pad, ...recent.map(gapKind)];
}

/** Runs of equal cells, so the strip draws as a handful of Text nodes, not sixty. */
export function runsOf(cells: readonly GapKind[]): { kind: GapKind; count: number }[] {
  const runs: { kind: GapKind; count: number }[] = [];
  for (const kind of cells) {
    const last = runs.at(-1);
    if (last && last.kind === kind) last.count++;
    else runs.push({ kind, count: 1 });
  }
  return runs;
}

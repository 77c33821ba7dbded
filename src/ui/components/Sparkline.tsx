import { Text } from 'ink';
import { memo } from 'react';
import { useColor, type ColorName } from '../contexts/theme-context.js';
import { fmtScale, sparkCells, type SparkKind } from '../charts.js';
import { ascii } from '../glyph-text.js';
import { GlyphText } from './GlyphText.js';

/** Columns of the label before the cells. */
export const SPARK_LABEL_W = 10;
/** Columns after the cells, for the widest scale: ` max 9999 · target 1200 ms` (fmtScale is at most four characters). */
export const SPARK_SCALE_W = 26;

export interface SparklineProps {
  label: string;
  /** One value a second, oldest first; null is a second with no data. */
  values: readonly (number | null)[];
  /** The whole row's width: label, cells, scale. */
  width: number;
  /** After the scale's number: ` %`, ` ms`. */
  unit: string;
  color: ColorName;
  /** A line the values are measured against (the playout target): the scale reaches it, the label names it. */
  target?: number;
  /** Smallest scale: a window of tiny values is not drawn as full bars (e.g. 1 ms of jitter). */
  floor?: number;
}

/** Cells a row of `width` columns has room for. */
export function sparkWidth(width: number): number {
  return Math.max(10, width - SPARK_LABEL_W - SPARK_SCALE_W);
}

/**
 * `loss %    ▁▁▁▂▁█▃▁··▁▁  max 4.0 %`: one cell a second, newest right, as
 * many seconds as the width holds; ▁ is zero, · a second with no data, blank
 * before the history began. The scale is the window's largest value.
 */
export const Sparkline = memo(function Sparkline({ label, values, width, unit, color, target, floor }: SparklineProps) {
  const c = useColor();
  const cells = sparkWidth(width);
  const { runs, max } = sparkCells(values, cells, Math.max(floor ?? 0, target ?? 0));
  const tint: Record<SparkKind, ColorName | undefined> = { blank: undefined, 'no-data': c('gray'), zero: c('gray'), value: c(color) };
  const top = runs.some((r) => r.kind === 'value' || r.kind === 'zero') ? fmtScale(max) : '–';
  const scale = target === undefined ? `max ${top}${unit}` : `max ${top} · target ${fmtScale(target)}${unit}`;
  return (
    <GlyphText>
      {label.slice(0, SPARK_LABEL_W - 1).padEnd(SPARK_LABEL_W)}
      {runs.map((r, i) => (
        <Text key={i} color={tint[r.kind]}>
          {ascii(r.text)}
        </Text>
      ))}
      <Text color={c('gray')}>{ascii(` ${scale}`)}</Text>
    </GlyphText>
  );
});

import { Box, Text } from 'ink';
import { memo } from 'react';
import type { SecondGaps } from '../bridge/types.js';
import { useColor, type ColorName } from '../contexts/theme-context.js';
import { ascii } from '../glyph-text.js';
import { GlyphText } from './GlyphText.js';
import { SPARK_LABEL_W, sparkWidth } from './Sparkline.js';
import { GAP_GLYPH, GAP_LABEL, gapCells, runsOf, type GapKind } from '../gap-cells.js';

export const GAP_COLOR: Record<GapKind, ColorName | undefined> = {
  none: undefined,
  clean: 'green',
  'no-data': 'gray',
  lost: 'red',
  late: 'yellow',
  reordered: 'cyan',
  duplicate: 'magenta',
};

/** Rows this draws: a title with the legend (unless left out), then the strip. */
export const gapStripRows = (legend: boolean): number => (legend ? 2 : 1);

/**
 * One cell per second, oldest left, newest right, each showing the worst of
 * that second; in the same columns as the history charts' seconds (the
 * legend, left out on a short terminal, is in the help too).
 */
export const GapStrip = memo(function GapStrip({ gaps, width, legend: withLegend = true }: { gaps: readonly SecondGaps[]; width: number; legend?: boolean }) {
  const c = useColor();
  const cells = sparkWidth(width);
  const legend = ['clean', 'lost', 'late', 'reordered', 'duplicate', 'no-data'] as const;
  return (
    <Box flexDirection="column">
      {withLegend ? <GlyphText>
        {`last ${cells} s  `}
        {legend.map((k) => (
          <Text key={k}>
            <Text color={c(GAP_COLOR[k] ?? 'gray')}>{ascii(GAP_GLYPH[k])}</Text>
            {` ${GAP_LABEL[k]}  `}
          </Text>
        ))}
      </GlyphText> : null}
      <GlyphText>
        {'gaps'.padEnd(SPARK_LABEL_W)}
        {runsOf(gapCells(gaps, cells)).map((r, i) => (
          <Text key={i} color={c(GAP_COLOR[r.kind] ?? 'gray')}>
            {ascii(GAP_GLYPH[r.kind]).repeat(r.count)}
          </Text>
        ))}
        {' now'}
      </GlyphText>
    </Box>
  );
});

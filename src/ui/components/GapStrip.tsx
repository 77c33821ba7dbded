import { Box, Text } from 'ink';
import { memo } from 'react';
import type { SecondGaps } from '../bridge/types.js';
import { useColor, type ColorName } from '../contexts/theme-context.js';
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

/** Rows this draws: a title with the legend, then the strip. */
export const GAP_STRIP_ROWS = 2;

/** One cell per second, oldest left, newest right, each showing the worst of that second. */
export const GapStrip = memo(function GapStrip({ gaps, width }: { gaps: readonly SecondGaps[]; width: number }) {
  const c = useColor();
  const cells = Math.max(10, Math.min(60, width - 8));
  const legend = ['clean', 'lost', 'late', 'reordered', 'duplicate', 'no-data'] as const;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {`last ${cells} s  `}
        {legend.map((k) => (
          <Text key={k}>
            <Text color={c(GAP_COLOR[k] ?? 'gray')}>{GAP_GLYPH[k]}</Text>
            {` ${GAP_LABEL[k]}  `}
          </Text>
        ))}
      </Text>
      <Text wrap="truncate-end">
        {'gaps  '}
        {runsOf(gapCells(gaps, cells)).map((r, i) => (
          <Text key={i} color={c(GAP_COLOR[r.kind] ?? 'gray')}>
            {GAP_GLYPH[r.kind].repeat(r.count)}
          </Text>
        ))}
        {' now'}
      </Text>
    </Box>
  );
});

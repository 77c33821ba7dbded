import { Text } from 'ink';
import { memo } from 'react';
import { mosBand, type MosBand } from '../bridge/types.js';
import { useColor, type ColorName } from '../contexts/theme-context.js';
import { fmtMos } from '../text-format.js';
import { ascii } from '../glyph-text.js';

/** Green while it sounds as it should, yellow when it is audibly worse, red when people complain. */
export const MOS_COLOR: Record<MosBand, ColorName> = {
  excellent: 'green',
  good: 'green',
  fair: 'yellow',
  poor: 'red',
  bad: 'red',
};

/**
 * `MOS 4.3 (good)` coloured by its band, `MOS –` while there is nothing to
 * score; the band is in words, so it reads without colour. Written in the
 * stand-ins of ../glyph-text.ts: it goes inside a <GlyphText> row.
 */
export const MosBadge = memo(function MosBadge({ mos }: { mos: number | null }) {
  const c = useColor();
  if (mos === null || !Number.isFinite(mos)) return <Text color={c('gray')}>{ascii(mosBadgeText(null))}</Text>;
  return (
    <Text bold color={c(MOS_COLOR[mosBand(mos)])}>
      {mosBadgeText(mos)}
    </Text>
  );
});

/** The badge's text: what it takes of a row. */
export function mosBadgeText(mos: number | null): string {
  return mos === null || !Number.isFinite(mos) ? 'MOS –' : `MOS ${fmtMos(mos)} (${mosBand(mos)})`;
}

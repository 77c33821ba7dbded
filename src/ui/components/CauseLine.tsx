import { Text } from 'ink';
import { memo } from 'react';
import { useColor, type ColorName } from '../contexts/theme-context.js';
import { ascii } from '../glyph-text.js';
import { describeGlitches, type GlitchFigures, type GlitchTone } from '../text-format.js';

const TONE_COLOR: Record<GlitchTone, ColorName | undefined> = {
  plain: undefined,
  network: 'red',
  late: 'yellow',
  underrun: 'magenta',
  recovered: 'green',
};

export interface CauseLineProps {
  glitches: GlitchFigures;
  /** Packets FEC rebuilt: said only when there are any. */
  recovered: number;
  /** Columns the line may take. */
  width: number;
  /**
   * The buffer line's `underruns` (buffer and device, the session so far): those
   * beyond `our side` came in a second with network loss or late packets, and
   * are said as such, so the two lines never seem to disagree.
   */
  underruns?: number;
}

/**
 * `glitches 5: network 3 (concealed) · late 1 · our side 1 (device underrun)  underruns 5: 4 after network loss, 1 our side`:
 * the network's share and this machine's, never confused. Renders inside a
 * <GlyphText> row (in its stand-ins; the quality row puts the MOS badge before it).
 */
export const CauseLine = memo(function CauseLine({ glitches, recovered, width, underruns }: CauseLineProps) {
  const c = useColor();
  return (
    <Text>
      {describeGlitches(glitches, recovered, width, underruns).map((p, i) => {
        const tone = TONE_COLOR[p.tone];
        return (
          <Text key={i} color={tone && c(tone)}>
            {ascii(p.text)}
          </Text>
        );
      })}
    </Text>
  );
});

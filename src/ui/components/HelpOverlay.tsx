import { Box, Text } from 'ink';
import { useColor } from '../contexts/theme-context.js';
import { NO_DATA_GLYPH, SPARK_GLYPHS } from '../charts.js';
import { GAP_GLYPH } from '../gap-cells.js';
import { keysFor } from '../keymap.js';

/** Keys and what the glyphs mean; drawn in place of the screen's body while open (21 rows with the demo's key). */
export function HelpOverlay({ rows, demo = false }: { rows: number; demo?: boolean }) {
  const c = useColor();
  return (
    <Box flexDirection="column" height={rows} overflow="hidden">
      <Text bold>Keys</Text>
      {keysFor(demo).map((k) => (
        <Text key={k.key} wrap="truncate-end">
          <Text bold color={c('cyan')}>{`  ${k.key.padEnd(8)}`}</Text>
          {k.help}
        </Text>
      ))}
      <Text wrap="truncate-end">
        <Text bold color={c('cyan')}>{'  Ctrl-C  '}</Text>
        quit, like q
      </Text>
      <Text bold>Meters and gap strip</Text>
      <Text wrap="truncate-end">  peak/rms: level in dBFS, -60 to 0; │ marks the peak held for 1.5 s</Text>
      <Text wrap="truncate-end">  gaps: one cell a second, newest right, in the same columns as the charts</Text>
      <Text wrap="truncate-end">{`    ${GAP_GLYPH.clean} clean  ${GAP_GLYPH.lost} lost  ${GAP_GLYPH.late} late  ${GAP_GLYPH.reordered} reordered  ${GAP_GLYPH.duplicate} duplicated  ${GAP_GLYPH['no-data']} no packets`}</Text>
      <Text bold>History charts</Text>
      <Text wrap="truncate-end">{`  a cell a second, newest right: ${SPARK_GLYPHS[0]} zero, ${SPARK_GLYPHS[1]}…${SPARK_GLYPHS[7]} up to the max shown, ${NO_DATA_GLYPH} no data`}</Text>
      <Text wrap="truncate-end">  loss % of expected · jitter (RFC 3550) · delay: playout delay vs its target</Text>
      <Text wrap="truncate-end">  glitches: network = lost, concealed · late = past playout · our side = underrun</Text>
      <Text wrap="truncate-end">  MOS: G.107 E-model estimate from delay, loss and codec, 1 (bad) to 4.5</Text>
      <Text color={c('gray')}>? or Esc closes this help</Text>
    </Box>
  );
}

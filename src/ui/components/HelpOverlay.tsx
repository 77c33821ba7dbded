import { Box, Text } from 'ink';
import { useColor } from '../contexts/theme-context.js';
import { GAP_GLYPH } from '../gap-cells.js';
import { DASHBOARD_KEYS } from '../keymap.js';

/** Keys and what the glyphs mean; drawn in place of the screen's body while open. */
export function HelpOverlay({ rows }: { rows: number }) {
  const c = useColor();
  return (
    <Box flexDirection="column" height={rows} overflow="hidden">
      <Text bold>Keys</Text>
      {DASHBOARD_KEYS.map((k) => (
        <Text key={k.key} wrap="truncate-end">
          <Text bold color={c('cyan')}>{`  ${k.key.padEnd(8)}`}</Text>
          {k.help}
        </Text>
      ))}
      <Text wrap="truncate-end">
        <Text bold color={c('cyan')}>{'  Ctrl-C  '}</Text>
        quit, like q
      </Text>
      <Text> </Text>
      <Text bold>Meters and gap strip</Text>
      <Text wrap="truncate-end">  peak/rms: level in dBFS, -60 to 0; │ marks the peak held for 1.5 s</Text>
      <Text wrap="truncate-end">  gaps: one cell a second, newest right</Text>
      <Text wrap="truncate-end">{`    ${GAP_GLYPH.clean} clean  ${GAP_GLYPH.lost} lost  ${GAP_GLYPH.late} late  ${GAP_GLYPH.reordered} reordered  ${GAP_GLYPH.duplicate} duplicated  ${GAP_GLYPH['no-data']} no packets`}</Text>
      <Text> </Text>
      <Text color={c('gray')}>? or Esc closes this help</Text>
    </Box>
  );
}

import { Text } from 'ink';
import { memo } from 'react';
import { useColor } from '../contexts/theme-context.js';
import { fmtDb } from '../text-format.js';
import { vuCells } from '../vu-scale.js';
import { ascii } from '../glyph-text.js';
import { GlyphText } from './GlyphText.js';

// In stand-ins: the meters redraw ten times a second (see ../glyph-text.ts).
const FULL = ascii('█');
const REST = ascii('·');
const HOLD = ascii('│');

export interface VuMeterProps {
  label: string;
  dbfs: number;
  /** Peak-hold marker, drawn as │ past the end of the bar. */
  holdDbfs?: number;
  /** Cells of the bar itself (the label and the number come on top). */
  width: number;
}

/** `peak ██████████████····│··· -6.0 dBFS`: filled cells are █, the rest ·. */
export const VuMeter = memo(function VuMeter({ label, dbfs, holdDbfs, width }: VuMeterProps) {
  const c = useColor();
  const v = vuCells(dbfs, holdDbfs, width);
  return (
    <GlyphText>
      {label.padEnd(5)}
      <Text color={c('green')}>{FULL.repeat(v.green)}</Text>
      <Text color={c('yellow')}>{FULL.repeat(v.yellow)}</Text>
      <Text color={c('red')}>{FULL.repeat(v.red)}</Text>
      <Text color={c('gray')}>{REST.repeat(v.restBefore)}</Text>
      {v.hold ? <Text color={c(v.hold)}>{HOLD}</Text> : null}
      <Text color={c('gray')}>{REST.repeat(v.restAfter)}</Text>
      {` ${fmtDb(dbfs).padStart(6)} dBFS`}
    </GlyphText>
  );
});

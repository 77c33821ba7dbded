import { Text } from 'ink';
import { memo } from 'react';
import { useColor } from '../contexts/theme-context.js';
import { fmtDb } from '../text-format.js';
import { barCells, VU_FLOOR_DBFS } from '../vu-scale.js';
import { ascii } from '../glyph-text.js';
import { GlyphText } from './GlyphText.js';

/** Where the bar turns yellow, then red (dBFS). */
const WARN_DBFS = -18;
const HOT_DBFS = -6;

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
  const lit = barCells(dbfs, width);
  const warnAt = barCells(WARN_DBFS, width);
  const hotAt = barCells(HOT_DBFS, width);
  const green = Math.min(lit, warnAt);
  const yellow = Math.max(0, Math.min(lit, hotAt) - warnAt);
  const red = Math.max(0, lit - hotAt);
  const hold = holdDbfs === undefined ? -1 : barCells(holdDbfs, width) - 1;
  const showHold = hold >= lit && hold < width && holdDbfs! > VU_FLOOR_DBFS;
  const restBefore = showHold ? hold - lit : width - lit;
  const restAfter = showHold ? width - hold - 1 : 0;
  const holdColor = hold >= hotAt ? 'red' : hold >= warnAt ? 'yellow' : 'green';
  return (
    <GlyphText>
      {label.padEnd(5)}
      <Text color={c('green')}>{FULL.repeat(green)}</Text>
      <Text color={c('yellow')}>{FULL.repeat(yellow)}</Text>
      <Text color={c('red')}>{FULL.repeat(red)}</Text>
      <Text color={c('gray')}>{REST.repeat(restBefore)}</Text>
      {showHold ? <Text color={c(holdColor)}>{HOLD}</Text> : null}
      <Text color={c('gray')}>{REST.repeat(restAfter)}</Text>
      {` ${fmtDb(dbfs).padStart(6)} dBFS`}
    </GlyphText>
  );
});

import { Box, Text, type DOMElement } from 'ink';
import { useCallback, useMemo, useRef } from 'react';
import { useColor } from '../contexts/theme-context.js';
import { useLevels } from '../hooks/use-levels.js';
import { meterBar, meterRows } from '../meter-overlay.js';
import { fmtDb } from '../text-format.js';
import { scaleLine, type VuState } from '../vu-scale.js';
import { VuMeter } from './VuMeter.js';

/** Rows this draws: peak, RMS, and the scale unless left out. */
export const levelMeterRows = (scale: boolean): number => (scale ? 3 : 2);

/**
 * The live meter: the only part of the screen that changes ~10 times a
 * second. On the dashboard those changes are drawn in place, without a
 * frame (../meter-overlay.ts); what renders here is the same rows.
 */
export function LevelMeters({ width, scale: withScale = true }: { width: number; scale?: boolean }) {
  const c = useColor();
  const colored = c('green') !== undefined;
  const bar = meterBar(width);
  const box = useRef<DOMElement>(null);
  const rows = useCallback((vu: VuState, cells: number) => meterRows(vu, width, withScale, cells, colored), [width, withScale, colored]);
  const inPlace = useMemo(() => ({ node: () => box.current, rows }), [rows]);
  const vu = useLevels(bar, inPlace);
  const scale = useMemo(() => scaleLine(bar).padEnd(bar), [bar]);
  return (
    <Box ref={box} flexDirection="column">
      <VuMeter label="peak" dbfs={vu.peakDbfs} holdDbfs={vu.holdDbfs} width={bar} />
      <VuMeter label="rms" dbfs={vu.rmsDbfs} width={bar} />
      {withScale ? (
        <Text color={c('gray')} wrap="truncate-end">
          {' '.repeat(5)}
          {scale}
          {`  hold ${fmtDb(vu.holdDbfs)}`}
        </Text>
      ) : null}
    </Box>
  );
}

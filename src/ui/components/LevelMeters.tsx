import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { useColor } from '../contexts/theme-context.js';
import { useLevels } from '../hooks/use-levels.js';
import { fmtDb } from '../text-format.js';
import { scaleLine } from '../vu-scale.js';
import { VuMeter } from './VuMeter.js';

/** Label column plus ` -60.0 dBFS` after the bar. */
export const METER_CHROME = 5 + 12;
/** Rows this draws: peak, RMS, and the scale unless left out. */
export const levelMeterRows = (scale: boolean): number => (scale ? 3 : 2);

/** The live meter: the only part of the screen that redraws ~10 times a second. */
export function LevelMeters({ width, scale: withScale = true }: { width: number; scale?: boolean }) {
  const c = useColor();
  const bar = Math.max(10, width - METER_CHROME);
  const vu = useLevels(bar);
  const scale = useMemo(() => scaleLine(bar).padEnd(bar), [bar]);
  return (
    <Box flexDirection="column">
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

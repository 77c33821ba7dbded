import { Box, Text } from 'ink';
import type { ReceiverSnapshot } from '../bridge/types.js';
import { useColor } from '../contexts/theme-context.js';
import { GAP_STRIP_ROWS, GapStrip } from '../components/GapStrip.js';
import { LEVEL_METER_ROWS, LevelMeters } from '../components/LevelMeters.js';
import { Section } from '../components/Section.js';
import { fmtKbps, formatDrift } from '../text-format.js';

/** Rows the receiver's body takes (the dashboard fits the log pane into the rest). */
export const RECEIVER_BODY_ROWS = 1 + LEVEL_METER_ROWS + 1 + 3 + GAP_STRIP_ROWS;

const NO_GAPS: ReceiverSnapshot['gaps'] = [];

export function ReceiverScreen({ stats, width }: { stats: ReceiverSnapshot | undefined; width: number }) {
  const c = useColor();
  const s = stats;
  const n = (v: number | undefined): string => (v === undefined ? '–' : String(v));
  return (
    <Box flexDirection="column">
      <Section title="Output level" width={width} />
      <LevelMeters width={width} />
      <Section title={s?.peer ? `Network: ${s.peer}, ${s.format ?? ''}` : 'Network: waiting for a sender'} width={width} />
      <Text wrap="truncate-end">
        <Text color={c(s && s.lost > 0 ? 'red' : 'green')}>{`loss ${s ? s.lossPercent.toFixed(2) : '–'} %`}</Text>
        {`  lost ${n(s?.lost)}  late ${n(s?.late)}  reordered ${n(s?.outOfOrder)}  duplicates ${n(s?.duplicates)}  jitter ${s ? `${s.jitterMs.toFixed(1)} ms` : '–'}`}
      </Text>
      <Text wrap="truncate-end">
        {`buffer ${s ? `${s.bufferMs.toFixed(0)}/${s.targetMs} ms` : '–'}  packets ${n(s?.received)}  ${s ? fmtKbps(s.bitrateKbps) : '–'}  underruns ${n(s?.underruns)}  concealed ${s ? `${s.concealedMs} ms` : '–'}`}
      </Text>
      <Text wrap="truncate-end">{`clock drift ${s ? formatDrift(s.driftPpm) : '–'}  (sender's clock against ours)`}</Text>
      <GapStrip gaps={s?.gaps ?? NO_GAPS} width={width} />
    </Box>
  );
}

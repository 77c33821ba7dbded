import { Box, Text } from 'ink';
import type { SenderSnapshot } from '../bridge/types.js';
import type { DashboardInfo } from '../contexts/services-context.js';
import { useColor, type ColorName } from '../contexts/theme-context.js';
import { LEVEL_METER_ROWS, LevelMeters } from '../components/LevelMeters.js';
import { Section } from '../components/Section.js';
import { describeRemote, fmtBytes, fmtKbps } from '../text-format.js';

/** Rows the sender's body takes (the dashboard fits the log pane into the rest). */
export const SENDER_BODY_ROWS = 1 + LEVEL_METER_ROWS + 1 + 2 + 1 + 1;

const CONNECTION_COLOR: Record<string, ColorName> = { connected: 'green', connecting: 'yellow', retrying: 'red', closed: 'gray' };

export function SenderScreen({ stats, info, width }: { stats: SenderSnapshot | undefined; info: DashboardInfo; width: number }) {
  const c = useColor();
  const s = stats;
  const conn = s?.connection ?? (info.protocol === 'tcp' ? 'connecting' : null);
  const remote = describeRemote(s);
  return (
    <Box flexDirection="column">
      <Section title="Input level" width={width} />
      <LevelMeters width={width} />
      <Section title="Network" width={width} />
      <Text wrap="truncate-end">
        {`packets ${s ? s.sent : '–'}   sent ${s ? fmtBytes(s.bytes) : '–'}   bitrate ${s ? fmtKbps(s.bitrateKbps) : '–'}   loop p99 ${s ? `${s.loopDelayP99Ms} ms` : '–'}`}
      </Text>
      <Text wrap="truncate-end">
        {`${info.protocol.toUpperCase()} ${info.endpoint}  `}
        {conn ? <Text color={c(CONNECTION_COLOR[conn] ?? 'gray')} bold>{conn}</Text> : <Text>sending</Text>}
        {s && s.skippedMs > 0 ? `   skipped ${(s.skippedMs / 1000).toFixed(1)} s while down` : ''}
        {s && (s.simDropped > 0 || s.simDuplicated > 0) ? `   sim: dropped ${s.simDropped}, duplicated ${s.simDuplicated}` : ''}
      </Text>
      <Section title="What the receiver reports" width={width} />
      <Text wrap="truncate-end" dimColor={remote.tone === 'dim'} color={remote.tone === 'warn' ? c('yellow') : undefined}>
        {remote.text}
        {s && s.malformed > 0 ? `   bad RTCP ${s.malformed}` : ''}
      </Text>
    </Box>
  );
}

import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { SenderSnapshot } from '../bridge/types.js';
import type { DashboardInfo } from '../contexts/services-context.js';
import { useColor, type ColorName } from '../contexts/theme-context.js';
import { levelMeterRows, LevelMeters } from '../components/LevelMeters.js';
import { MosBadge } from '../components/MosBadge.js';
import { Section } from '../components/Section.js';
import { GlyphText } from '../components/GlyphText.js';
import { Sparkline, sparkWidth } from '../components/Sparkline.js';
import { describeRemote, fmtBytes, fmtKbps } from '../text-format.js';

/** Rows the sender's body takes (the dashboard fits the log pane into the rest); compact: no rule over the meter, no scale. */
export function senderBodyRows(compact: boolean): number {
  return (compact ? 3 : 4) + levelMeterRows(!compact) + 2 + 2 + 3;
}

const CONNECTION_COLOR: Record<string, ColorName> = { connected: 'green', connecting: 'yellow', retrying: 'red', closed: 'gray' };
const NO_HISTORY: SenderSnapshot['remoteHistory'] = [];

/** What the receiver's reports said, a cell a second: the sender's view of the link. */
const RemoteHistory = memo(function RemoteHistory({ history, width }: { history: SenderSnapshot['remoteHistory']; width: number }) {
  const series = useMemo(
    () => ({
      loss: history.map((r) => r.lossPercent),
      jitter: history.map((r) => r.jitterMs),
      rtt: history.map((r) => r.rttMs),
    }),
    [history],
  );
  return (
    <Box flexDirection="column">
      <Section title={`Reported history: ${Math.min(history.length, sparkWidth(width))} s, one cell a second, newest right`} width={width} />
      <Sparkline label="loss %" values={series.loss} width={width} unit=" %" color="red" />
      <Sparkline label="jitter" values={series.jitter} width={width} unit=" ms" color="yellow" />
      <Sparkline label="RTT" values={series.rtt} width={width} unit=" ms" color="cyan" />
    </Box>
  );
});

export function SenderScreen({ stats, info, width, compact = false }: { stats: SenderSnapshot | undefined; info: DashboardInfo; width: number; compact?: boolean }) {
  const c = useColor();
  const s = stats;
  const conn = s?.connection ?? (info.protocol === 'tcp' ? 'connecting' : null);
  const remote = describeRemote(s);
  return (
    <Box flexDirection="column">
      {compact ? null : <Section title="Input level" width={width} />}
      <LevelMeters width={width} scale={!compact} />
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
      <GlyphText>
        <MosBadge mos={s?.mos ?? null} />
        <Text color={c('gray')}>{"  estimated from the receiver's reports"}</Text>
      </GlyphText>
      <RemoteHistory history={s?.remoteHistory ?? NO_HISTORY} width={width} />
    </Box>
  );
}

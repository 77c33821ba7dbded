import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { describeBursts, type ReceiverSnapshot } from '../bridge/types.js';
import { useColor } from '../contexts/theme-context.js';
import { CauseLine } from '../components/CauseLine.js';
import { gapStripRows, GapStrip } from '../components/GapStrip.js';
import { JitterHistogram } from '../components/JitterHistogram.js';
import { levelMeterRows, LevelMeters } from '../components/LevelMeters.js';
import { MosBadge, mosBadgeText } from '../components/MosBadge.js';
import { Section } from '../components/Section.js';
import { GlyphText } from '../components/GlyphText.js';
import { ascii } from '../glyph-text.js';
import { Sparkline, sparkWidth } from '../components/Sparkline.js';
import { historySeries } from '../charts.js';
import { fmtKbps, formatDrift } from '../text-format.js';

/**
 * Rows the receiver's body takes (the dashboard fits the log pane into the
 * rest). Compact, for a short terminal: no rule over the meters, no meter
 * scale, no gap legend (the help has it).
 */
export function receiverBodyRows(compact: boolean): number {
  const rules = compact ? 2 : 3;
  return rules + levelMeterRows(!compact) + 4 + gapStripRows(!compact) + 4 + 2;
}

const NO_GAPS: ReceiverSnapshot['gaps'] = [];
const NO_EDGES: number[] = [];
const NO_GLITCHES = { network: 0, late: 0, underrun: 0, total: 0 };

/** The history: one cell a second across the width, the jitter histogram and the loss bursts. */
const History = memo(function History({ stats, width }: { stats: ReceiverSnapshot | undefined; width: number }) {
  const gaps = stats?.gaps ?? NO_GAPS;
  const h = useMemo(() => historySeries(gaps), [gaps]);
  const shown = Math.min(gaps.length, sparkWidth(width));
  return (
    <Box flexDirection="column">
      <Section title={`History: ${shown} s, one cell a second, newest right`} width={width} />
      <Sparkline label="loss %" values={h.loss} width={width} unit=" %" color="red" />
      <Sparkline label="jitter" values={h.jitter} width={width} unit=" ms" color="yellow" />
      <Sparkline label="delay" values={h.delay} width={width} unit=" ms" color="cyan" target={stats?.targetMs ?? (h.targetMs || undefined)} />
      <Sparkline label="concealed" values={h.concealed} width={width} unit=" ms" color="magenta" />
      <JitterHistogram edgesMs={stats?.jitterHistogram?.edgesMs ?? NO_EDGES} counts={stats?.jitterHistogram?.counts ?? NO_EDGES} />
      <Text wrap="truncate-end">{`loss bursts: ${stats ? describeBursts(stats.lossBursts?.lengths ?? []) : '–'}`}</Text>
    </Box>
  );
});

export function ReceiverScreen({ stats, width, compact = false }: { stats: ReceiverSnapshot | undefined; width: number; compact?: boolean }) {
  const c = useColor();
  const s = stats;
  const n = (v: number | undefined): string => (v === undefined ? '–' : String(v));
  return (
    <Box flexDirection="column">
      {compact ? null : <Section title="Output level" width={width} />}
      <LevelMeters width={width} scale={!compact} />
      <Section title={s?.peer ? `Network: ${s.peer}, ${s.format ?? ''}` : 'Network: waiting for a sender'} width={width} />
      <Text wrap="truncate-end">
        <Text color={c(s && s.lost > 0 ? 'red' : 'green')}>{`loss ${s ? s.lossPercent.toFixed(2) : '–'} %`}</Text>
        {`  lost ${n(s?.lost)}  late ${n(s?.late)}  reordered ${n(s?.outOfOrder)}  duplicates ${n(s?.duplicates)}  jitter ${s ? `${s.jitterMs.toFixed(1)} ms` : '–'}`}
      </Text>
      <Text wrap="truncate-end">
        {`buffer ${s ? `${s.bufferMs.toFixed(0)}/${s.targetMs} ms` : '–'}  packets ${n(s?.received)}  ${s ? fmtKbps(s.bitrateKbps) : '–'}  underruns ${n(s?.underruns)}  concealed ${s ? `${s.concealedMs} ms` : '–'}`}
      </Text>
      <GlyphText>{ascii(`clock drift ${s ? formatDrift(s.driftPpm) : '–'}  (sender's clock against ours)`)}</GlyphText>
      <GlyphText>
        <MosBadge mos={s?.mos ?? null} />
        {'  '}
        <CauseLine glitches={s?.glitches ?? NO_GLITCHES} recovered={s?.recovered ?? 0} underruns={s?.underruns} width={width - mosBadgeText(s?.mos ?? null).length - 2} />
      </GlyphText>
      <GapStrip gaps={s?.gaps ?? NO_GAPS} width={width} legend={!compact} />
      <History stats={s} width={width} />
    </Box>
  );
}

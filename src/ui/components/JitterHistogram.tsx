import { Text } from 'ink';
import { memo } from 'react';
import { useColor } from '../contexts/theme-context.js';
import { histogramBins } from '../charts.js';
import { ascii } from '../glyph-text.js';
import { GlyphText } from './GlyphText.js';

export interface JitterHistogramProps {
  /** Lower edges of the bins (ms); the last is open-ended. */
  edgesMs: readonly number[];
  counts: readonly number[];
}

/**
 * `jitter ms  0–1 █  1–2 ▃  2–5 ▁  5–10 ▁ …  50+ ▁  (1234 packets)`: how far
 * each packet's transit strayed from the one before (RFC 3550 |D|), by bin;
 * heights are against the fullest bin, ▁ an empty one.
 */
export const JitterHistogram = memo(function JitterHistogram({ edgesMs, counts }: JitterHistogramProps) {
  const c = useColor();
  const bins = histogramBins(edgesMs, counts);
  const total = counts.reduce((a, b) => a + b, 0);
  return (
    <GlyphText>
      {'jitter ms '}
      {bins.map((b) => (
        <Text key={b.label}>
          {ascii(` ${b.label} `)}
          <Text color={c(b.count > 0 ? 'yellow' : 'gray')}>{ascii(b.glyph)}</Text>
        </Text>
      ))}
      <Text color={c('gray')}>{total > 0 ? `  (${total} packets)` : '  (no packets yet)'}</Text>
    </GlyphText>
  );
});

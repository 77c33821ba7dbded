/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import type { SecondGaps } from '../../../src/session/receiver-snapshot.js';
import { ThemeProvider } from '../../../src/ui/contexts/theme-context.js';
import { GapStrip } from '../../../src/ui/components/GapStrip.js';
import { SPARK_LABEL_W, SPARK_SCALE_W } from '../../../src/ui/components/Sparkline.js';

const clean: SecondGaps = { received: 50, lost: 0, late: 0, reordered: 0, duplicates: 0, concealedMs: 0, jitterMs: 0.5, bufferMs: 40, targetMs: 40, underruns: 0 };
const silent: SecondGaps = { ...clean, received: 0 };

function frame(gaps: SecondGaps[], width = 100): string {
  const r = render(
    <ThemeProvider theme={{ color: false }}>
      <GapStrip gaps={gaps} width={width} />
    </ThemeProvider>,
  );
  const f = r.lastFrame() ?? '';
  r.unmount();
  return f;
}
const strip = (gaps: SecondGaps[]): string => frame(gaps).split('\n').find((l) => l.startsWith('gaps')) ?? '';

test('the gap strip shows a lost second as █ in its place, newest on the right', () => {
  const row = strip([clean, clean, { ...clean, lost: 3 }, clean]);
  const cells = row.slice(SPARK_LABEL_W, row.lastIndexOf(' now'));
  assert.equal(cells.length, 100 - SPARK_LABEL_W - SPARK_SCALE_W, 'as many seconds as the history charts under it');
  assert.equal(cells.slice(-4), '··█·');
  assert.equal(cells.slice(0, -4).trim(), '', 'seconds before the history began are blank');
});

test('a second with late packets but nothing lost is ▓, not █', () => {
  const row = strip([{ ...clean, late: 1 }]);
  assert.ok(row.includes('▓'));
  assert.ok(!row.includes('█'));
});

test('a second with no packets is _ (no data), not · (clean), and the legend says so at 80 columns', () => {
  const row = strip([clean, silent, silent, clean]);
  assert.equal(row.slice(0, row.lastIndexOf(' now')).slice(-4), '·__·');
  assert.match(frame([clean], 80).split('\n')[0] ?? '', /· clean .*_ no data/);
});

/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import type { SecondGaps } from '../../../src/session/receiver-snapshot.js';
import { ThemeProvider } from '../../../src/ui/contexts/theme-context.js';
import { GapStrip } from '../../../src/ui/components/GapStrip.js';

const clean: SecondGaps = { lost: 0, late: 0, reordered: 0, duplicates: 0, concealedMs: 0 };

function strip(gaps: SecondGaps[]): string {
  const r = render(
    <ThemeProvider theme={{ color: false }}>
      <GapStrip gaps={gaps} width={100} />
    </ThemeProvider>,
  );
  const rows = (r.lastFrame() ?? '').split('\n');
  r.unmount();
  return rows.find((l) => l.startsWith('gaps')) ?? '';
}

test('the gap strip shows a lost second as █ in its place, newest on the right', () => {
  const row = strip([clean, clean, { ...clean, lost: 3 }, clean]);
  const cells = row.slice('gaps  '.length, row.lastIndexOf(' now'));
  assert.equal(cells.length, 60);
  assert.equal(cells.slice(-4), '··█·');
  assert.equal(cells.slice(0, 56).trim(), '', 'seconds before the history began are blank');
});

test('a second with late packets but nothing lost is ▓, not █', () => {
  const row = strip([{ ...clean, late: 1 }]);
  assert.ok(row.includes('▓'));
  assert.ok(!row.includes('█'));
});

/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { ThemeProvider } from '../../../src/ui/contexts/theme-context.js';
import { VuMeter } from '../../../src/ui/components/VuMeter.js';
import { count } from '../fakes.js';

function bar(dbfs: number, holdDbfs?: number): string {
  const r = render(
    <ThemeProvider theme={{ color: false }}>
      <VuMeter label="peak" dbfs={dbfs} holdDbfs={holdDbfs} width={60} />
    </ThemeProvider>,
  );
  const frame = r.lastFrame() ?? '';
  r.unmount();
  return frame;
}

test('a meter at -6 dBFS lights 54 of 60 cells (-60…0 dBFS)', () => {
  const f = bar(-6);
  assert.equal(count(f, '█'), 54);
  assert.equal(count(f, '·'), 6);
  assert.match(f, /-6\.0 dBFS/);
});

test('a meter at -40 dBFS lights 20 of 60 cells', () => {
  const f = bar(-40);
  assert.equal(count(f, '█'), 20);
  assert.match(f, /-40\.0 dBFS/);
});

test('silence draws an empty bar and reads -inf', () => {
  const f = bar(-120);
  assert.equal(count(f, '█'), 0);
  assert.match(f, /-inf dBFS/);
});

test('the held peak is a marker past the end of the bar', () => {
  const f = bar(-40, -10);
  assert.equal(count(f, '█'), 20);
  assert.equal(f.indexOf('│'), 'peak '.length + 49); // the 50th cell: -10 dBFS
});

/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SPARK_LABEL_W, SPARK_SCALE_W, Sparkline, sparkWidth } from '../../../src/ui/components/Sparkline.js';
import { historySeries, sparkCells, sparkLevel } from '../../../src/ui/charts.js';
import { ANSI, colorAt, colorFrame, plainFrame } from './color.js';

const line = (values: (number | null)[], width = 100, extra: { target?: number } = {}) =>
  plainFrame(<Sparkline label="loss %" values={values} width={width} unit=" %" color="red" {...extra} />);
/** The chart's cells: what lies between the label and the scale. */
const cellsOf = (row: string, width = 100) => row.slice(SPARK_LABEL_W, SPARK_LABEL_W + sparkWidth(width));

test('the scale is the largest value in the window, and the largest cell is a full block', () => {
  const row = line([0, 1, 2, 4]);
  assert.match(row, /max 4\.0 %$/);
  assert.equal(cellsOf(row).slice(-4), '▁▃▅█');
});

test('any value above zero is at least ▂, so a small loss never reads as none', () => {
  assert.equal(sparkLevel(0.01, 100), 1);
  assert.equal(sparkLevel(0, 100), 0);
  const row = line([0.01, 100]);
  assert.equal(cellsOf(row).slice(-2), '▂█');
});

test('a second with no data is ·, unlike a zero (▁), and the seconds before the history are blank', () => {
  const row = line([0, null, null, 0]);
  const cells = cellsOf(row);
  assert.equal(cells.slice(-4), '▁··▁');
  assert.equal(cells.slice(0, -4).trim(), '');
  assert.match(row, /max 0 %$/, 'zeros are data: the scale says 0');
  assert.match(line([null, null]), /max – %$/, 'no data at all: no scale to give');
});

test('the chart takes as many seconds as the width holds, the newest on the right, and the scale only counts what is shown', () => {
  for (const width of [60, 80, 100]) { // ink-testing-library's terminal is 100 columns
    const n = sparkWidth(width);
    assert.equal(n, width - SPARK_LABEL_W - SPARK_SCALE_W);
    // 300 seconds: an old spike of 50 (off the left edge), then a ramp ending at 9.
    const values = [50, ...Array.from({ length: 299 }, (_, i) => (i % 10))];
    const row = line(values, width);
    assert.ok(row.length <= width, `${row.length} columns at ${width}: ${row}`);
    assert.equal(cellsOf(row, width).length, n);
    assert.match(row, /max 9\.0 %$/, 'the spike scrolled out of the window');
    assert.equal(cellsOf(row, width).at(-1), '█', 'the newest second (9) is on the right');
  }
});

test('a chart drawn against a target names it and reaches it', () => {
  const row = plainFrame(<Sparkline label="delay" values={[20, 20]} width={100} unit=" ms" color="cyan" target={40} />);
  assert.match(row, /max 40 · target 40 ms$/);
  assert.equal(cellsOf(row).slice(-2), '▅▅', 'half the target: half of the seven heights, rounded up');
});

test('in colour, values take the chart colour and zeros and no-data are grey', () => {
  const f = colorFrame(<Sparkline label="loss %" values={[0, null, 3]} width={100} unit=" %" color="red" />);
  assert.equal(colorAt(f, '█'), ANSI.red);
  assert.equal(colorAt(f, '▁'), ANSI.gray);
  assert.equal(colorAt(f, '·'), ANSI.gray);
});

test('the history series: loss % per second of expected, nothing for a second without packets', () => {
  const g = (o: Partial<{ received: number; lost: number; concealedMs: number; jitterMs: number | null; bufferMs: number | null }>) => ({
    received: 100, lost: 0, concealedMs: 0, jitterMs: 1, bufferMs: 40, targetMs: 40, ...o,
  });
  const h = historySeries([g({}), g({ received: 96, lost: 4, concealedMs: 40 }), g({ received: 0 })]);
  assert.deepEqual(h.loss, [0, 4, null]);
  assert.deepEqual(h.concealed, [0, 40, null]);
  assert.deepEqual(h.jitter, [1, 1, null]);
  assert.deepEqual(h.delay, [40, 40, null]);
  assert.equal(h.targetMs, 40);
  assert.equal(sparkCells(h.loss, 3).max, 4);
});

test('the widest scale, against a target, is not cut', () => {
  const row = plainFrame(<Sparkline label="delay" values={[9999, 237]} width={80} unit=" ms" color="cyan" target={1200} />);
  assert.match(row, /max 9999 · target 1200 ms$/);
  assert.ok(row.length <= 80, row);
});

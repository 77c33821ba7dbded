/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
// The meter's in-place rows must be what Ink draws for the same state: cell
// for cell, colour for colour (else the meter would change look between a
// frame and the redraws after it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Box, Text } from 'ink';
import { VuMeter } from '../../src/ui/components/VuMeter.js';
import { LevelMeters } from '../../src/ui/components/LevelMeters.js';
import { meterBar, meterRows, paintRow, vuRuns } from '../../src/ui/meter-overlay.js';
import { SILENT_VU } from '../../src/ui/vu-scale.js';
import { colorFrame, plainFrame } from './components/color.js';
import { fakes } from './fakes.js';
import { ServicesProvider } from '../../src/ui/contexts/services-context.js';
import { colourRuns, VtScreen } from '../helpers/vt-screen.js';

function screenOf(s: string, columns: number, rows = 4): VtScreen {
  const v = new VtScreen(columns, rows);
  v.write(s);
  return v;
}

const cases: Array<[dbfs: number, hold: number | undefined, bar: number]> = [
  [-6, -3, 60],
  [-40, -10, 60],
  [-120, undefined, 60],
  [-120, -120, 60],
  [0, 0, 60],
  [-20, -17, 83],
  [-3, -1, 10],
  [-59, -58, 23],
];

for (const [dbfs, hold, bar] of cases) {
  test(`an in-place bar at ${dbfs} dBFS (hold ${hold ?? 'none'}, ${bar} cells) is Ink's VuMeter, cell for cell and colour for colour`, () => {
    const cols = bar + 17;
    const ink = screenOf(colorFrame(<VuMeter label="peak" dbfs={dbfs} holdDbfs={hold} width={bar} />), cols);
    const ours = screenOf(paintRow(vuRuns('peak', dbfs, hold, bar), cols, true), cols);
    assert.equal(colourRuns(ours.cells(0)), colourRuns(ink.cells(0)));
    assert.ok(/[█·]/.test(ours.line(0)), 'the glyphs themselves, not their stand-ins');
  });
}

test('the in-place rows under NO_COLOR carry no colour, and read as the plain frame does', () => {
  const ink = plainFrame(<VuMeter label="rms" dbfs={-30} width={60} />);
  const row = paintRow(vuRuns('rms', -30, undefined, 60), 77, false);
  assert.equal(row.trimEnd(), ink.trimEnd());
  assert.doesNotMatch(row, /\x1b/);
});

test("all three rows of LevelMeters (peak, RMS, the scale with the hold) are Ink's, at several widths", () => {
  for (const width of [80, 100, 137]) {
    const { services } = fakes();
    const frame = colorFrame(
      <ServicesProvider services={services}>
        <Box width={width}>
          <LevelMeters width={width} />
        </Box>
      </ServicesProvider>,
    );
    const ink = screenOf(frame, width);
    const rows = meterRows(SILENT_VU, width, true, width, true);
    assert.equal(rows.length, 3);
    const ours = screenOf(rows.join('\r\n'), width);
    for (let r = 0; r < 3; r++) assert.equal(colourRuns(ours.cells(r)), colourRuns(ink.cells(r)), `row ${r} at ${width} columns`);
  }
});

test('compact: two rows, no scale', () => {
  assert.equal(meterRows(SILENT_VU, 80, false, 80, true).length, 2);
});

test('a row is padded to its box and cut as Ink cuts (truncate-end: an ellipsis in the last cell)', () => {
  assert.equal(paintRow([['abc', undefined]], 6, false), 'abc   ');
  const long = 'x'.repeat(30) + 'yz';
  const ink = plainFrame(
    <Box width={20}>
      <Text wrap="truncate-end">{long}</Text>
    </Box>,
  );
  assert.equal(paintRow([[long, 'gray']], 20, false), ink.trimEnd());
  assert.equal(Array.from(paintRow([[long, 'gray']], 20, true).replace(/\x1b\[\d+m/g, '')).length, 20);
  assert.equal(meterBar(80), 63);
});

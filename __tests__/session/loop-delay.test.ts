import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHistogram } from 'node:perf_hooks';
import { LoopDelay, loopLatenessMs, RESOLUTION_MS } from '../../src/session/loop-delay.js';

test('the sampling interval is not counted as delay', () => {
  assert.equal(loopLatenessMs(RESOLUTION_MS), 0);
  assert.equal(loopLatenessMs(RESOLUTION_MS - 0.8), 0);
  assert.equal(loopLatenessMs(RESOLUTION_MS + 12.5), 12.5);
});

/** Node's histogram as the loop-delay monitor fills it, fed by hand: intervals between its wake-ups, in ns. */
function intervals(ms: number[]) {
  const h = Object.assign(createHistogram(), { enable: () => true, disable: () => true });
  for (const v of ms) h.record(Math.round(v * 1e6));
  return h;
}

test('a blocked loop shows up in the p99, less the sampling interval', () => {
  // 98 idle wake-ups and 2 that waited out a 60 ms block: the 99th percentile is a blocked one.
  const h = intervals([...Array.from({ length: 98 }, () => RESOLUTION_MS), RESOLUTION_MS + 60, RESOLUTION_MS + 60]);
  const d = new LoopDelay(h);
  d.start();
  const p99 = d.takeP99Ms();
  assert.ok(Math.abs(p99 - 60) < 0.1, `p99 ${p99} ms (the histogram keeps 3 significant digits)`);
  assert.equal(h.count, 0, 'each period starts afresh');
  assert.equal(d.takeP99Ms(), 0, 'no wake-ups yet: no delay');
  d.stop();
});

test('an idle loop reads 0', () => {
  assert.equal(new LoopDelay(intervals(Array.from({ length: 50 }, () => RESOLUTION_MS))).takeP99Ms(), 0);
});

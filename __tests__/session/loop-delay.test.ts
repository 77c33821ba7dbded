import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoopDelay, loopLatenessMs, RESOLUTION_MS } from '../../src/session/loop-delay.js';

test('the sampling interval is not counted as delay', () => {
  assert.equal(loopLatenessMs(RESOLUTION_MS), 0);
  assert.equal(loopLatenessMs(RESOLUTION_MS - 0.8), 0);
  assert.equal(loopLatenessMs(RESOLUTION_MS + 12.5), 12.5);
});

test('a blocked loop shows up in the p99', async () => {
  const d = new LoopDelay();
  d.start();
  await new Promise((r) => setTimeout(r, 30));
  const until = performance.now() + 60;
  while (performance.now() < until) {
    // Block the loop for 60 ms.
  }
  await new Promise((r) => setTimeout(r, 30));
  const p99 = d.takeP99Ms();
  d.stop();
  assert.ok(p99 >= 40, `p99 ${p99} ms after a 60 ms block`);
});

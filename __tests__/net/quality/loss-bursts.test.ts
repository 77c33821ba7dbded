// Loss bursts by length, the recent window BurstR is made of, and the line that describes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BURST_WINDOW_PACKETS, LossBurstCounter, MAX_BURST_BIN, describeBursts } from '../../../src/net/quality/loss-bursts.js';
import type { Fate } from '../../../src/net/quality/seq-ledger.js';

function feed(c: LossBurstCounter, pattern: string): void {
  for (const ch of pattern) c.add((ch === 'x' ? 'lost' : 'played') as Fate);
}

test('bursts are counted by length; a burst still open is counted when the stream ends', () => {
  const c = new LossBurstCounter();
  feed(c, 'pxpxxpxxxpppxx');
  assert.deepEqual(c.bursts().lengths.slice(0, 4), [1, 1, 1, 0]);
  c.endRun();
  assert.deepEqual(c.bursts().lengths.slice(0, 4), [1, 2, 1, 0]);
  assert.equal(c.bursts().lengths.length, MAX_BURST_BIN);
});

test('a burst of 32 or more lands in the last bin', () => {
  const c = new LossBurstCounter();
  feed(c, 'p' + 'x'.repeat(40) + 'p' + 'x'.repeat(32) + 'p');
  assert.equal(c.bursts().lengths[MAX_BURST_BIN - 1], 2);
});

test('the recent window: lost and bursts of the last packets, a burst cut by the edge counted once', () => {
  const c = new LossBurstCounter();
  feed(c, 'xxx' + 'p'.repeat(BURST_WINDOW_PACKETS - 3));
  assert.deepEqual(c.recent(), { total: BURST_WINDOW_PACKETS, lost: 3, bursts: 1 });
  feed(c, 'p'); // the first lost one leaves; the burst's rest is still one burst
  assert.deepEqual(c.recent(), { total: BURST_WINDOW_PACKETS, lost: 2, bursts: 1 });
  feed(c, 'pp');
  assert.deepEqual(c.recent(), { total: BURST_WINDOW_PACKETS, lost: 0, bursts: 0 });
});

const bins = (m: Record<number, number>): number[] => Array.from({ length: MAX_BURST_BIN }, (_, i) => m[i + 1] ?? 0);

test('describeBursts: singles, the range most bursts fall in, the longest when outside it', () => {
  assert.equal(describeBursts(bins({})), 'no losses');
  assert.equal(describeBursts(bins({ 1: 1 })), '1 single loss');
  assert.equal(describeBursts(bins({ 1: 12 })), '12 single losses');
  assert.equal(describeBursts(bins({ 1: 12, 2: 5, 3: 2, 4: 3, 7: 1 })), '12 single losses, 11 bursts of 2–4, longest 7');
  assert.equal(describeBursts(bins({ 3: 2 })), '2 bursts of 3');
  assert.equal(describeBursts(bins({ 2: 1, 4: 1 })), '2 bursts of 2–4');
  assert.equal(describeBursts(bins({ 1: 1, 40: 0, 32: 1 })), '1 single loss, 1 burst of 32+');
});

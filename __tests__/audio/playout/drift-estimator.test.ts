import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DriftEstimator } from '../../../src/audio/playout/drift-estimator.js';
import { prng } from '../../helpers/playout-sim.js';

const RATE = 44100;
const FRAME = 441; // 10 ms packets

/**
 * Feeds `seconds` of packets from a sender whose clock runs `ppm` fast,
 * each delayed by `delay(k, sentMs)` ms; returns the estimator.
 */
function feed(est: DriftEstimator, ppm: number, seconds: number, delay: (k: number, sentMs: number) => number, ts0 = 0xffd00000, frame = FRAME): DriftEstimator {
  const period = 10 / (1 + ppm / 1e6);
  const packets = Math.floor((seconds * 1000) / period);
  for (let k = 0; k < packets; k++) {
    const sent = 5000 + k * period;
    est.add((ts0 + k * frame) >>> 0, sent + 3 + delay(k, sent));
  }
  return est;
}

const uniform = (seed: number, ms: number) => {
  const r = prng(seed);
  return () => r() * ms;
};

for (const ppm of [500, -500]) {
  test(`${ppm} ppm under 5 ms of random jitter is measured within 10 ppm after 60 s`, () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const est = feed(new DriftEstimator({ rate: RATE }), ppm, 60, uniform(seed, 5));
      assert.ok(est.ppm !== null && Math.abs(est.ppm - ppm) < 10, `seed ${seed}: ${est.ppm}`);
    }
  });
}

test('two clocks that agree measure near 0 ppm', () => {
  const est = feed(new DriftEstimator({ rate: RATE }), 0, 60, uniform(7, 5));
  assert.ok(est.ppm !== null && Math.abs(est.ppm) < 3, `${est.ppm}`);
});

test('heavy-tailed queueing delay does not pull the estimate', () => {
  // Mostly a few ms, sometimes a burst of 50–150 ms (a congested hop).
  const r = prng(11);
  const est = feed(new DriftEstimator({ rate: RATE }), 100, 60, () => (r() < 0.05 ? 50 + r() * 100 : r() * 4));
  assert.ok(est.ppm !== null && Math.abs(est.ppm - 100) < 10, `${est.ppm}`);
});

test('a whole second delayed by 300 ms is ignored', () => {
  const est = feed(new DriftEstimator({ rate: RATE }), -200, 60, (_k, sent) => (sent > 58_000 && sent < 59_500 ? 300 : 0) + (sent % 7));
  assert.ok(est.ppm !== null && Math.abs(est.ppm + 200) < 10, `${est.ppm}`);
});

test('there is no estimate before enough of the link has been seen', () => {
  const est = feed(new DriftEstimator({ rate: RATE }), 500, 5, uniform(3, 5));
  assert.equal(est.ppm, null);
});

test('the estimate appears once ten seconds of a clean link are in', () => {
  const est = feed(new DriftEstimator({ rate: RATE }), 300, 15, uniform(3, 1));
  assert.ok(est.ppm !== null && Math.abs(est.ppm - 300) < 20, `${est.ppm}`);
});

test('add returns how much later than the fastest packets one came', () => {
  const est = feed(new DriftEstimator({ rate: RATE }), 400, 20, () => 0);
  const ts = (0xffd00000 + 2001 * FRAME) >>> 0; // the next packet
  const sent = 5000 + (2001 * 10) / 1.0004;
  assert.ok(Math.abs(est.add(ts, sent + 3 + 25) - 25) < 0.5);
});

test('a jump in the sender timeline starts the estimate over', () => {
  const est = feed(new DriftEstimator({ rate: RATE }), 200, 30, () => 0);
  assert.notEqual(est.ppm, null);
  const epoch = est.epoch;
  // The sender paused 5 s without moving its timestamps on.
  est.add((0xffd00000 + 3000 * FRAME) >>> 0, 5000 + 30_000 + 5000);
  assert.equal(est.epoch, epoch + 1);
  assert.equal(est.ppm, null);
});

test('reset forgets the stream', () => {
  const est = feed(new DriftEstimator({ rate: RATE }), 200, 30, () => 0);
  est.reset(48000);
  assert.equal(est.ppm, null);
  feed(est, -100, 30, () => 0, 1234, 480);
  // Timestamps are taken at the new rate: the old one would read as −81 000 ppm.
  assert.ok(est.ppm !== null && Math.abs(est.ppm + 100) < 5, `${est.ppm}`);
});

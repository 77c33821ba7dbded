import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelayMeter } from '../../../src/audio/playout/delay-meter.js';

/**
 * A steady stream: a pull every 10 ms (the delay behind the envelope drops
 * back to `raw`, then grows with time) and a packet half-way between (the
 * queue goes up 10 ms). `dip(t)` lowers the queue, as late packets do,
 * without moving the envelope.
 */
function steady(m: DelayMeter, fromMs: number, toMs: number, queue: number, raw: number | undefined, dip: (t: number) => number = () => 0): number[] {
  const means: number[] = [];
  for (let t = fromMs; t < toMs; t += 10) {
    means.push(m.takePullMean(t));
    m.set(t, queue - dip(t), raw);
    m.set(t + 5, queue + 10 - dip(t), raw === undefined ? undefined : raw + 5);
  }
  return means;
}

test('without an envelope the delay is the audio queued, averaged over time', () => {
  const m = new DelayMeter();
  const means = steady(m, 0, 1000, 40, undefined);
  // Half of each interval at 50 ms queued, half at 40.
  assert.ok(Math.abs(means.at(-1)! - 45) < 1e-9, `${means.at(-1)}`);
});

test('with an envelope it is calibrated to the queue, then late packets do not move it', () => {
  const m = new DelayMeter();
  steady(m, 0, 5000, 40, 30);
  const calm = m.takeSecond();
  assert.ok(Math.abs(calm - 45) < 0.5, `calm ${calm}`);
  // A second in which packets come 30 ms late: the queue dips, the delay does not.
  steady(m, 5000, 6000, 40, 30, () => 30);
  const dipped = m.takeSecond();
  assert.ok(Math.abs(dipped - 45) < 1, `during the dip ${dipped}`);
});

test('the second figure is a median: one stalled pull does not move it', () => {
  const m = new DelayMeter();
  steady(m, 0, 990, 40, undefined);
  m.set(990, 50, undefined);
  m.takePullMean(1400); // 400 ms without a pull: one interval at 50 ms
  assert.ok(Math.abs(m.takeSecond() - 45) < 1e-9);
});

test('reset forgets the calibration', () => {
  const m = new DelayMeter();
  steady(m, 0, 3000, 40, 30);
  m.reset();
  const means = steady(m, 0, 100, 80, undefined);
  assert.ok(Math.abs(means.at(-1)! - 85) < 1e-9);
});

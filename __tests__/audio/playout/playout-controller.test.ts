import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUTO_START_MS, DEFAULT_TUNING, PlayoutController } from '../../../src/audio/playout/playout-controller.js';
import type { AudioFormat } from '../../../src/shared/audio-format.js';
import { Playout } from '../../../src/audio/playout/playout.js';
import { prng, simulate } from '../../helpers/playout-sim.js';

const AUTO = { mode: 'auto', minMs: 5, maxMs: 500 } as const;
const FMT: AudioFormat = { rate: 44100, channels: 1 };
const ppmOf = (step: number): number => (step - 1) * 1e6;

/** Drives a controller for `ms` of time: a packet and a pull every 10 ms at the given level. */
function drive(c: PlayoutController, fromMs: number, ms: number, spread: (t: number) => number, level: (t: number) => number, drift: number | null = null): number {
  let step = 1;
  for (let t = fromMs; t < fromMs + ms; t += 10) {
    c.observe(spread(t), 10, t);
    step = c.update(t, level(t), 10, drift);
  }
  return step;
}

test('a fixed target does not resample while no drift is known, whatever the level', () => {
  const c = new PlayoutController({ mode: 'fixed', ms: 60 });
  assert.equal(drive(c, 0, 5000, () => 0, () => 75), 1);
  assert.equal(c.ratio, 1);
});

test('a fixed target does not resample for a drift below 20 ppm', () => {
  const c = new PlayoutController({ mode: 'fixed', ms: 60 });
  assert.equal(drive(c, 0, 5000, () => 0, () => 60, 15), 1);
});

test('a fixed target corrects a measured drift by feeding it forward', () => {
  const c = new PlayoutController({ mode: 'fixed', ms: 60 });
  const step = drive(c, 0, 5000, () => 0, () => 60, 250);
  assert.ok(Math.abs(ppmOf(step) - 250) < 1, `${ppmOf(step)}`);
});

test('a level above the target reads faster, below it slower', () => {
  const c = new PlayoutController({ mode: 'fixed', ms: 60 }, { engageDriftPpm: 0 });
  assert.ok(ppmOf(drive(c, 0, 5000, () => 0, () => 65, 0)) > 100);
  const d = new PlayoutController({ mode: 'fixed', ms: 60 }, { engageDriftPpm: 0 });
  assert.ok(ppmOf(drive(d, 0, 5000, () => 0, () => 55, 0)) < -100);
});

test('the correction is bounded, however far off the level is', () => {
  const c = new PlayoutController({ mode: 'fixed', ms: 60 });
  const step = drive(c, 0, 5000, () => 0, () => 900, 1500);
  assert.ok(ppmOf(step) <= 6000 + 1e-6, `${ppmOf(step)}`);
});

test('auto starts at its start value within the bounds', () => {
  assert.equal(new PlayoutController(AUTO).targetMs, AUTO_START_MS);
  assert.equal(new PlayoutController({ mode: 'auto', minMs: 80, maxMs: 500 }).targetMs, 80);
  assert.equal(new PlayoutController({ mode: 'auto', minMs: 5, maxMs: 20 }).targetMs, 20);
});

test('auto: the goal rises within a second to cover the jitter percentile', () => {
  const c = new PlayoutController(AUTO);
  const r = prng(1);
  drive(c, 0, 3000, () => r() * 100, () => 40);
  // p99 of U(0, 100) ≈ 99, plus the 10 ms packet/pull margin and the guard.
  assert.ok(c.goalMs > 105 && c.goalMs < 115, `goal ${c.goalMs}`);
});

test('auto: the target moves towards a higher goal at a bounded rate, the step stretching to match', () => {
  const c = new PlayoutController(AUTO);
  drive(c, 0, 1000, () => 0, () => 40);
  const step = drive(c, 1000, 2000, () => 100, () => 40);
  assert.ok(c.targetMs > 40 && c.targetMs < 40 + 5 * 2 + 1, `target ${c.targetMs}`);
  assert.ok(ppmOf(step) < -4000, `step ${ppmOf(step)} ppm: slower reading lets the buffer grow`);
});

test('auto: a calm link brings the target down only after a hold, and slowly', () => {
  const { holdMs, fallMsPerS } = DEFAULT_TUNING;
  const c = new PlayoutController(AUTO);
  drive(c, 0, holdMs + 5000, () => 0, () => 40);
  assert.ok(c.goalMs < 20, `calm goal ${c.goalMs}`);
  const after = new PlayoutController(AUTO);
  // Within the hold the goal stays; the target has not moved down at all.
  drive(after, 0, holdMs - 1000, () => 0, () => 40);
  assert.equal(after.targetMs, AUTO_START_MS);
  drive(after, holdMs - 1000, 11_000, () => 0, () => 40);
  // Ten seconds past the hold: down by at most 0.5 ms/s.
  assert.ok(after.targetMs < AUTO_START_MS && after.targetMs >= AUTO_START_MS - fallMsPerS * 10 - 0.01, `target ${after.targetMs}`);
});

test('auto: a second delay spike in the window raises the goal at the next second, unless the timeline moved first', () => {
  const c = new PlayoutController(AUTO);
  drive(c, 0, 1000, () => 0, () => 40);
  c.noteLate(150);
  drive(c, 1000, 2000, () => 0, () => 40);
  c.noteLate(150);
  drive(c, 3000, 1100, () => 0, () => 40);
  assert.ok(c.goalMs >= 160, `goal ${c.goalMs}`);
  const d = new PlayoutController(AUTO);
  drive(d, 0, 1000, () => 0, () => 40);
  d.noteLate(150);
  drive(d, 1000, 2000, () => 0, () => 40);
  d.noteLate(150);
  d.forgetArrivals();
  drive(d, 3000, 1100, () => 0, () => 40);
  assert.ok(d.goalMs <= AUTO_START_MS, `goal ${d.goalMs}`);
});

/** A 300 ms stall of the sender at `atMs`: nothing arrives, then its packets all at once, the first late. */
function stallSpread(atMs: number): (t: number) => number {
  return (t) => (t >= atMs && t < atMs + 300 ? atMs + 300 - t : 0);
}

/** Drives like `drive`, noting the packets a 40 ms buffer would find late (spread over 40 ms) as late. */
function driveNoting(c: PlayoutController, fromMs: number, ms: number, spread: (t: number) => number): void {
  for (let t = fromMs; t < fromMs + ms; t += 10) {
    const sp = spread(t);
    // Stalled packets arrive when the stall ends, not when they were sent.
    const at = sp > 0 ? t + sp : t;
    c.observe(sp, 10, at);
    if (sp > 40) c.noteLate(sp, at);
    c.update(t, 40, 10, null);
  }
}

test('auto: one sender stall mid-stream (a lone delay spike) leaves the goal where the link put it', () => {
  const c = new PlayoutController(AUTO);
  driveNoting(c, 0, 20_000, () => 0); // a calm link, the window full
  driveNoting(c, 20_000, 10_000, stallSpread(25_000));
  assert.equal(c.peakCount, 1);
  assert.ok(c.goalMs <= AUTO_START_MS, `goal ${c.goalMs}: one 300 ms stall in 30 s is not the link's jitter`);
  assert.ok(c.targetMs <= AUTO_START_MS, `target ${c.targetMs}`);
});

test('auto: a second spike within the window is covered, and the first counts again', () => {
  const c = new PlayoutController(AUTO);
  driveNoting(c, 0, 20_000, () => 0);
  driveNoting(c, 20_000, 5_000, stallSpread(21_000));
  assert.ok(c.goalMs <= AUTO_START_MS, `goal ${c.goalMs}`);
  driveNoting(c, 25_000, 3_000, stallSpread(26_000));
  assert.equal(c.peakCount, 2);
  assert.ok(c.goalMs >= 150, `goal ${c.goalMs}: two 300 ms spikes in 30 s are the link's`);
});

test('auto: a lone spike leaves the window after windowMs, and a later one is alone again', () => {
  const c = new PlayoutController(AUTO);
  driveNoting(c, 0, 5_000, stallSpread(2_000));
  driveNoting(c, 5_000, DEFAULT_TUNING.windowMs + 2_000, () => 0);
  assert.equal(c.peakCount, 0);
  driveNoting(c, 37_000, 3_000, stallSpread(38_000));
  assert.equal(c.peakCount, 1);
  assert.ok(c.goalMs <= AUTO_START_MS, `goal ${c.goalMs}`);
});

test('auto: the goal is kept within min and max', () => {
  const c = new PlayoutController({ mode: 'auto', minMs: 5, maxMs: 60 });
  drive(c, 0, 3000, () => 400, () => 40);
  assert.equal(c.goalMs, 60);
});

// The composed path (jitter buffer → resampler, steered by this controller) on a synthetic link.

test('auto settles near what the jitter needs, without late packets, and shrinks again when it stops', () => {
  const r = prng(5);
  const playout = new Playout({ format: FMT, jitter: AUTO });
  // 60 s of up to 30 ms of jitter, then a clean link.
  const res = simulate(playout, { format: FMT, seconds: 180, driftPpm: 0, delayMs: (_k, sent) => (sent < 60_000 ? r() * 30 : 0) });
  const at = (t: number) => res.seconds.find((s) => s.t === t)!;
  // Needs ≈ 30 ms of spread plus 10 ms of packet and pull quantisation.
  assert.ok(at(60).targetMs > 38 && at(60).targetMs < 46, `target at 60 s ${at(60).targetMs}`);
  assert.ok(Math.abs(at(60).bufferMs - at(60).targetMs) < 5, `buffer at 60 s ${at(60).bufferMs}`);
  assert.equal(res.late, 0);
  assert.equal(res.underruns, 0);
  // Calm: down to packet size plus guard, slowly (0.5 ms/s after a 10 s hold).
  assert.ok(at(80).targetMs > 30, `target at 80 s ${at(80).targetMs}`);
  assert.ok(at(180).targetMs < 15, `target at 180 s ${at(180).targetMs}`);
  assert.ok(Math.abs(at(180).bufferMs - at(180).targetMs) < 2);
});

test('auto grows quickly when jitter appears on a calm link', () => {
  const r = prng(6);
  const playout = new Playout({ format: FMT, jitter: AUTO });
  const res = simulate(playout, { format: FMT, seconds: 120, driftPpm: 0, delayMs: (_k, sent) => (sent >= 90_000 ? r() * 40 : 0) });
  const at = (t: number) => res.seconds.find((s) => s.t === t)!;
  assert.ok(at(90).targetMs < 15);
  assert.ok(at(93).targetMs > 20, `3 s after the jitter starts: ${at(93).targetMs}`);
  assert.ok(at(105).targetMs > 48, `15 s after: ${at(105).targetMs}`);
  // Some packets are late while the buffer grows: that is the cost of having been lean.
  assert.ok(res.late < 300, `late ${res.late}`);
  assert.ok(Math.abs(at(120).bufferMs - at(120).targetMs) < 5);
});

test('auto: one stall in the first seconds (the receiver opening its device) does not set the goal', () => {
  const c = new PlayoutController(AUTO);
  // A clean link, but packets 30–39 wait for a 100 ms stall and come at once.
  drive(c, 0, 3000, (t) => (t >= 300 && t < 400 ? 400 - t : 0), () => 40);
  assert.ok(c.goalMs <= AUTO_START_MS, `goal ${c.goalMs}: a 100 ms stall is 10 of 300 packets, not the 99.5th percentile`);
});

test('auto: a buffer far above a rising target is drained, not held by the slope', () => {
  const c = new PlayoutController(AUTO);
  drive(c, 0, 1000, () => 0, () => 40);
  c.noteLate(200);
  drive(c, 1000, 1500, () => 0, () => 40);
  c.noteLate(200); // a second spike: the goal rises well above the target, the setpoint slews up for a while
  const step = drive(c, 2500, 2000, () => 0, () => c.targetMs + 150);
  assert.ok(c.targetMs < c.goalMs, `still rising: target ${c.targetMs}, goal ${c.goalMs}`);
  assert.ok(ppmOf(step) >= DEFAULT_TUNING.maxCorrectionPpm - 1, `step ${ppmOf(step)} ppm: 150 ms over the target reads faster`);
});

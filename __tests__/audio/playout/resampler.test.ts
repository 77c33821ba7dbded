import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Resampler } from '../../../src/audio/playout/resampler.js';

const RATE = 44100;
const W = (2 * Math.PI * 1000) / RATE; // 1 kHz

/** A 1 kHz sine sampled at fractional input positions. */
const sineAt = (pos: number, amp = 12000): number => amp * Math.sin(W * pos + 0.3);

function sine(from: number, n: number, channels = 1): Int16Array {
  const a = new Int16Array(n * channels);
  for (let f = 0; f < n; f++) for (let c = 0; c < channels; c++) a[f * channels + c] = Math.round(sineAt(from + f) * (c === 0 ? 1 : -0.5));
  return a;
}

/** Feeds the resampler from an endless sine, `pulls` calls of `frames` frames at step(k). */
function run(r: Resampler, pulls: number, frames: number, step: (k: number) => number, channels = 1) {
  let read = 0;
  const out: number[] = [];
  const buf = new Int16Array(frames * channels);
  for (let k = 0; k < pulls; k++) {
    const s = step(k);
    const n = r.need(frames, s);
    r.process(sine(read, n, channels), buf, frames, s);
    read += n;
    out.push(...buf);
  }
  return { out: Int16Array.from(out), read };
}

/** Largest |x[n+1] − 2cos(w)x[n] + x[n−1]|: ≈0 for a clean sine, large at any jump. */
function sineResidual(a: Int16Array, w = W): number {
  const c2 = 2 * Math.cos(w);
  let m = 0;
  for (let i = 1; i + 1 < a.length; i++) m = Math.max(m, Math.abs(a[i + 1]! - c2 * a[i]! + a[i - 1]!));
  return m;
}

test('at step exactly 1 the output is the input, bit for bit, with no look-ahead', () => {
  const r = new Resampler(1);
  const src = sine(0, 5000);
  const out = new Int16Array(5000);
  let at = 0;
  for (const frames of [441, 1, 1024, 7, 441, 3086]) {
    assert.equal(r.need(frames, 1), frames);
    r.process(src.subarray(at, at + frames), out.subarray(at, at + frames), frames, 1);
    at += frames;
    assert.equal(r.aheadFrames, 0);
  }
  assert.deepEqual(out, src);
});

test('a step above 1 reads the input faster, at the stretched positions', () => {
  const r = new Resampler(1);
  const step = 1 + 500e-6;
  const { out } = run(r, 200, 441, () => step);
  // Output frame k sits at input position k·step; cubic interpolation keeps a 1 kHz sine within 2 LSB.
  let worst = 0;
  for (let k = 0; k < out.length; k++) worst = Math.max(worst, Math.abs(out[k]! - sineAt(k * step)));
  assert.ok(worst <= 2, `worst error ${worst.toFixed(2)}`);
});

test('input consumed follows the step: 500 ppm fast reads 500 ppm more', () => {
  const r = new Resampler(1);
  const { read } = run(r, 1000, 441, () => 1.0005);
  const made = 1000 * 441;
  assert.ok(Math.abs(read - made * 1.0005) <= 3, `read ${read} for ${made} made`);
});

test('a step that changes on every call glides without a click', () => {
  const r = new Resampler(1);
  // Up to 0.5 % and back down, changing each 10 ms: the sine bends but never jumps.
  const { out } = run(r, 600, 441, (k) => 1 + 0.005 * Math.sin((k / 600) * Math.PI));
  assert.ok(sineResidual(out) < 12, `residual ${sineResidual(out).toFixed(1)}`);
});

test('going back to step 1 after a correction stays smooth', () => {
  const r = new Resampler(1);
  const { out } = run(r, 300, 441, (k) => (k < 100 ? 1 : k < 200 ? 0.9997 : 1));
  assert.ok(sineResidual(out) < 12);
});

test('stereo channels are interpolated each on their own', () => {
  const r = new Resampler(2);
  const step = 1 - 300e-6;
  const { out } = run(r, 100, 441, () => step, 2);
  for (let k = 0; k < out.length / 2; k++) {
    assert.ok(Math.abs(out[2 * k]! - sineAt(k * step)) <= 2);
    assert.ok(Math.abs(out[2 * k + 1]! - -0.5 * sineAt(k * step)) <= 2);
  }
});

test('full-scale input is clamped, not wrapped, where interpolation overshoots', () => {
  const r = new Resampler(1);
  // Halfway between two full-scale samples Catmull-Rom gives 18/16 of full scale.
  const pulse = Int16Array.from({ length: 64 }, (_, i) => (i % 4 === 1 || i % 4 === 2 ? 32767 : 0));
  const out = new Int16Array(100);
  r.process(pulse.subarray(0, r.need(100, 0.5)), out, 100, 0.5);
  for (let k = 0; k < 100; k++) if (k % 8 === 3) assert.equal(out[k], 32767, `frame ${k}`);
});

test('reset starts a fresh stream at a whole frame', () => {
  const r = new Resampler(1);
  run(r, 10, 441, () => 1.001);
  r.reset();
  assert.equal(r.aheadFrames, 0);
  assert.equal(r.need(441, 1), 441);
});

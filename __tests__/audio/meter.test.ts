import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LevelMeter, toDbfs } from '../../src/audio/meter.js';

const near = (actual: number, expected: number, tol = 0.01): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

function sine(amplitude: number, frames: number, period = 100): Int16Array {
  // A whole number of periods, phase-shifted so a sample lands on each crest.
  return Int16Array.from({ length: frames }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * (i + 25)) / period)));
}

test('toDbfs: full scale is 0, half is −6.02, silence floors at −120', () => {
  assert.equal(toDbfs(1), 0);
  near(toDbfs(0.5), -6.0206, 0.0001);
  assert.equal(toDbfs(0), -120);
  assert.equal(toDbfs(1e-9), -120);
  assert.equal(toDbfs(Number.NaN), -120);
});

test('LevelMeter: a full-scale square reads 0 dBFS peak and RMS', () => {
  const m = new LevelMeter();
  m.add(Int16Array.from({ length: 1000 }, (_, i) => (i % 20 < 10 ? 32767 : -32768)));
  const { peakDbfs, rmsDbfs } = m.take();
  near(peakDbfs, 0, 0.001);
  near(rmsDbfs, 0, 0.001);
});

test('LevelMeter: a half-amplitude sine peaks at −6.02 dBFS with RMS 3.01 dB lower', () => {
  const m = new LevelMeter();
  m.add(sine(16384, 4400));
  m.add(sine(16384, 4400));
  const { peakDbfs, rmsDbfs } = m.take();
  near(peakDbfs, -6.02);
  near(rmsDbfs, -9.03);
});

test('LevelMeter: digital silence reads −120, a number JSON can carry', () => {
  const m = new LevelMeter();
  m.add(new Int16Array(441));
  const level = m.take();
  assert.deepEqual(level, { peakDbfs: -120, rmsDbfs: -120 });
  assert.equal(JSON.stringify(level), '{"peakDbfs":-120,"rmsDbfs":-120}');
});

test('LevelMeter.take resets: the next take only sees what came after', () => {
  const m = new LevelMeter();
  m.add(sine(32767, 441));
  m.take();
  m.add(sine(3277, 441));
  near(m.take().peakDbfs, -20, 0.01);
  assert.deepEqual(m.take(), { peakDbfs: -120, rmsDbfs: -120 });
});

test('the dashboard glance and the stats take each see every frame, independently', () => {
  const m = new LevelMeter();
  m.add(Int16Array.of(16384, -16384));
  assert.equal(Math.round(m.glance().peakDbfs), -6);
  m.add(Int16Array.of(8192));
  assert.equal(Math.round(m.glance().peakDbfs), -12, 'a glance starts over');
  assert.equal(Math.round(m.take().peakDbfs), -6, 'the stats window still holds both frames');
  assert.equal(m.take().peakDbfs, -120);
});

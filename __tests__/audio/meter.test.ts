import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { DBFS_FLOOR, LevelMeter, SharedLevelWindow, toDbfs } from '../../src/audio/meter.js';

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


test('the shared window: what the writer folds in, the reader takes, then starts over', () => {
  const writer = new SharedLevelWindow();
  const reader = new SharedLevelWindow(writer.buffer); // the other thread's view of the same memory
  assert.deepEqual(reader.take(), { peakDbfs: DBFS_FLOOR, rmsDbfs: DBFS_FLOOR }, 'nothing written: silence');
  writer.fold(16384, 16384 * 16384 * 10, 10); // ten samples at half scale
  writer.fold(8192, 8192 * 8192 * 10, 10);
  const l = reader.take();
  near(l.peakDbfs, toDbfs(0.5));
  near(l.rmsDbfs, toDbfs(Math.sqrt((0.25 + 0.0625) / 2)));
  assert.deepEqual(reader.take(), { peakDbfs: DBFS_FLOOR, rmsDbfs: DBFS_FLOOR }, 'taken: the next window starts empty');
  writer.fold(100, 100 * 100 * 4, 4);
  near(reader.take().peakDbfs, toDbfs(100 / 32768));
});

test('the shared window agrees with LevelMeter.glance on the same audio', () => {
  const m = new LevelMeter();
  const w = new SharedLevelWindow();
  m.share(w);
  const reader = new SharedLevelWindow(w.buffer);
  for (let k = 0; k < 50; k++) {
    for (let c = 0; c < 1 + (k % 4); c++) m.add(sine(1000 + 600 * k, 200));
    assert.deepEqual(reader.take(), m.glance(), `window ${k}`);
  }
});

test('the shared window wraps its counters: a reader on the far side of 2^31 requests still agrees', () => {
  const writer = new SharedLevelWindow();
  const i32 = new Int32Array(writer.buffer, 0, 2);
  i32[0] = 0x7ffffffe; // the seqlock, about to wrap
  i32[1] = 0x7ffffffe; // the requests, likewise
  const reader = new SharedLevelWindow(writer.buffer);
  reader.take(); // the reader learns where the requests stand
  for (let k = 0; k < 5; k++) {
    writer.fold(20000 + k, (20000 + k) ** 2 * 8, 8);
    const l = reader.take();
    near(l.peakDbfs, toDbfs((20000 + k) / 32768));
    near(l.rmsDbfs, toDbfs((20000 + k) / 32768));
  }
  assert.ok(i32[1]! < 0 && i32[0]! < 0, 'both counters went past 2^31 - 1');
});

test('a reader never uses a window the writer is halfway through publishing', () => {
  const writer = new SharedLevelWindow();
  const reader = new SharedLevelWindow(writer.buffer);
  writer.fold(1000, 1000 * 1000, 1);
  const i32 = new Int32Array(writer.buffer, 0, 2);
  Atomics.add(i32, 0, 1); // as if the writer had started its next publish and not finished it
  assert.equal(reader.snapshot(), undefined, 'an odd sequence: no snapshot');
  assert.deepEqual(reader.take(), { peakDbfs: DBFS_FLOOR, rmsDbfs: DBFS_FLOOR }, 'reads as nothing new rather than a torn window');
});

test('across threads, every window taken is whole: a writer of all-ones chunks never shows sum ≠ count', async () => {
  const w = new SharedLevelWindow();
  // The worker gets no TypeScript loader: it runs the built module (npm test builds first).
  const meterUrl = new URL('../../dist/audio/meter.js', import.meta.url).href;
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    import(workerData.meterUrl).then(({ SharedLevelWindow }) => {
      const w = new SharedLevelWindow(workerData.buffer);
      const stop = new Int32Array(workerData.stop);
      parentPort.postMessage('ready');
      // Chunks of n samples of amplitude 1: each published window has peak 1 and sumSquares === count.
      for (let i = 0; Atomics.load(stop, 0) === 0; i++) { const n = 1 + (i % 7); w.fold(1, n, n); }
      parentPort.postMessage('done');
    });`;
  const stop = new SharedArrayBuffer(4);
  const worker = new Worker(code, { eval: true, workerData: { buffer: w.buffer, stop, meterUrl } });
  await new Promise((r) => worker.once('message', r));
  let whole = 0;
  for (let i = 0; i < 200_000; i++) {
    const s = w.snapshot();
    if (!s || s.count === 0) continue;
    assert.equal(s.sumSquares, s.count, `snapshot ${i} mixes two publishes: ${JSON.stringify(s)}`);
    assert.equal(s.peak, 1);
    whole++;
    if (i % 50 === 0) w.take();
  }
  Atomics.store(new Int32Array(stop), 0, 1);
  await new Promise((r) => worker.once('message', r));
  await worker.terminate();
  assert.ok(whole > 1000, `the reader saw the writer's windows (${whole})`);
});

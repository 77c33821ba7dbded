// The interarrival-jitter histogram: |D| per arrival into fixed bins, over the last 60 seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HISTOGRAM_SECONDS, JITTER_EDGES_MS, JitterHistogramWindow, jitterBin } from '../../../src/net/quality/jitter-histogram.js';

test('bins: 0–1, 1–2, 2–5, 5–10, 10–20, 20–50, 50+ ms, by |D|', () => {
  assert.deepEqual(JITTER_EDGES_MS, [0, 1, 2, 5, 10, 20, 50]);
  assert.deepEqual([0, 0.99, 1, 4.9, 5, 19.9, 20, 49, 50, 900].map(jitterBin), [0, 0, 1, 2, 3, 4, 5, 5, 6, 6]);
  assert.equal(jitterBin(-12), 4);
});

test('each arrival after the first adds its transit change, RTP time against arrival time', () => {
  const h = new JitterHistogramWindow(8000); // 80 samples = 10 ms
  h.arrival(0, 1000);
  h.arrival(80, 1010); // on time: D 0
  h.arrival(160, 1023); // 3 ms late
  h.arrival(240, 1027); // 6 ms early against the previous
  h.arrival(320, 1090); // 50 ms late
  assert.deepEqual(h.histogram().counts, [1, 0, 1, 1, 0, 0, 1]);
});

test('RTP timestamps wrap at 2^32 without a spike', () => {
  const h = new JitterHistogramWindow(8000);
  h.arrival(0xffffffb0, 0);
  h.arrival(0x00000000, 10);
  assert.deepEqual(h.histogram().counts, [1, 0, 0, 0, 0, 0, 0]);
});

test('the window keeps 60 seconds: a second 60 ticks ago is gone', () => {
  const h = new JitterHistogramWindow(8000);
  h.arrival(0, 0);
  h.arrival(80, 40); // D 30 ms
  for (let i = 0; i < HISTOGRAM_SECONDS - 1; i++) h.tick();
  assert.equal(h.histogram().counts[5], 1);
  h.tick();
  assert.equal(h.histogram().counts[5], 0);
});

test('a new stream: its first arrival is compared with nothing', () => {
  const h = new JitterHistogramWindow(8000);
  h.arrival(0, 0);
  h.restart();
  h.arrival(123456, 5000);
  assert.deepEqual(h.histogram().counts, [0, 0, 0, 0, 0, 0, 0]);
});

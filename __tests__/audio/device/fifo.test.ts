import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SampleFifo } from '../../../src/audio/device/fifo.js';

test('takes across block boundaries in order', () => {
  const f = new SampleFifo(100);
  f.push(Int16Array.of(1, 2, 3));
  f.push(Int16Array.of(4, 5));
  assert.deepEqual(f.take(4), { pcm: Int16Array.of(1, 2, 3, 4), got: 4 });
  assert.equal(f.length, 1);
});

test('a short queue is padded with silence and says how much was real', () => {
  const f = new SampleFifo(100);
  f.push(Int16Array.of(9));
  assert.deepEqual(f.take(3), { pcm: Int16Array.of(9, 0, 0), got: 1 });
  assert.deepEqual(f.take(2), { pcm: Int16Array.of(0, 0), got: 0 });
});

test('past its cap the oldest audio goes', () => {
  const f = new SampleFifo(3);
  f.push(Int16Array.of(1, 2));
  f.push(Int16Array.of(3, 4));
  assert.equal(f.length, 3);
  assert.deepEqual(f.take(3).pcm, Int16Array.of(2, 3, 4));
});

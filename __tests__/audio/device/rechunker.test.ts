import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rechunker } from '../../../src/audio/device/rechunker.js';

test('device buffers are cut into frames of exactly the size asked for', () => {
  const r = new Rechunker(4);
  assert.deepEqual(r.push(Int16Array.of(1, 2, 3)), []);
  assert.deepEqual(r.push(Int16Array.of(4, 5, 6, 7, 8, 9, 10)), [Int16Array.of(1, 2, 3, 4), Int16Array.of(5, 6, 7, 8)]);
  assert.equal(r.pending, 2);
});

test('frames handed out are not overwritten by later input', () => {
  const r = new Rechunker(2);
  const [first] = r.push(Int16Array.of(1, 2));
  r.push(Int16Array.of(3, 4));
  assert.deepEqual(first, Int16Array.of(1, 2));
});

test('reset drops a partial frame', () => {
  const r = new Rechunker(3);
  r.push(Int16Array.of(1));
  r.reset();
  assert.deepEqual(r.push(Int16Array.of(7, 8, 9)), [Int16Array.of(7, 8, 9)]);
});

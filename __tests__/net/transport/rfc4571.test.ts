import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frame, split } from '../../../src/net/transport/rfc4571.js';

const pkt = (n: number, fill: number): Buffer => Buffer.alloc(n, fill);

test('frame prefixes the 16-bit big-endian length', () => {
  assert.deepEqual(frame(Buffer.from([1, 2, 3])), Buffer.from([0, 3, 1, 2, 3]));
});

test('splits several whole frames', () => {
  const r = split(Buffer.concat([frame(pkt(12, 1)), frame(pkt(20, 2))]));
  assert.equal(r.frames.length, 2);
  assert.deepEqual(r.frames[1], pkt(20, 2));
  assert.equal(r.rest.length, 0);
});

test('keeps a partial frame as rest, and completes it with the next chunk', () => {
  const whole = Buffer.concat([frame(pkt(12, 1)), frame(pkt(30, 2))]);
  const first = split(whole.subarray(0, 25));
  assert.equal(first.frames.length, 1);
  assert.equal(first.rest.length, 11);
  const second = split(Buffer.concat([first.rest, whole.subarray(25)]));
  assert.equal(second.frames.length, 1);
  assert.deepEqual(second.frames[0], pkt(30, 2));
});

test('a lone first byte of a length prefix waits for more', () => {
  const r = split(Buffer.from([0]));
  assert.equal(r.frames.length, 0);
  assert.equal(r.rest.length, 1);
});

test('a length no RTP packet can have is an error', () => {
  const r = split(Buffer.concat([frame(pkt(12, 1)), Buffer.from([0, 3, 1, 2, 3])]));
  assert.equal(r.frames.length, 1);
  assert.equal(r.error, 'bad-length');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Unwrapper, uint16Add, uint16Diff, uint16Gt, uint32Add, uint32Diff } from '../../src/shared/rtp-time.js';

test('uint16 arithmetic wraps across 65535 → 0', () => {
  assert.equal(uint16Add(65535, 1), 0);
  assert.equal(uint16Diff(65535, 0), 1);
  assert.equal(uint16Diff(0, 65535), -1);
  assert.equal(uint16Gt(0, 65535), true);
  assert.equal(uint16Gt(65535, 0), false);
  assert.equal(uint16Diff(10, 10 + 0x7fff), 0x7fff);
});

test('uint32 arithmetic wraps across 2^32', () => {
  assert.equal(uint32Add(0xffffffff, 2), 1);
  assert.equal(uint32Diff(0xfffffff0, 0x10), 0x20);
  assert.equal(uint32Diff(0x10, 0xfffffff0), -0x20);
});

test('Unwrapper extends sequence numbers monotonically across wraps, late ones included', () => {
  const u = new Unwrapper(0x10000);
  const got = [65534, 65535, 0, 65533, 1, 2].map((v) => u.unwrap(v));
  assert.deepEqual(got, [65534, 65535, 65536, 65533, 65537, 65538]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSize } from '../../src/logging/size.js';

test('parseSize reads K, M and G as binary multiples', () => {
  assert.equal(parseSize('500K'), 512000);
  assert.equal(parseSize('20K'), 20 * 1024);
  assert.equal(parseSize('5M'), 5 * 1024 * 1024);
  assert.equal(parseSize('1G'), 1024 ** 3);
});

test('parseSize reads plain bytes, a B suffix, lower case and KB/MiB spellings', () => {
  assert.equal(parseSize('1000'), 1000);
  assert.equal(parseSize('300B'), 300);
  assert.equal(parseSize('5m'), 5 * 1024 * 1024);
  assert.equal(parseSize('5MB'), 5 * 1024 * 1024);
  assert.equal(parseSize('5MiB'), 5 * 1024 * 1024);
  assert.equal(parseSize(' 1.5K '), 1536);
});

test('parseSize rejects anything that is not a positive size', () => {
  for (const s of ['', 'M', '5X', '-5M', '0', '0K', '5 M B', 'five', '1e3', '5M5', '99999999999G']) {
    assert.equal(parseSize(s), undefined, s);
  }
});

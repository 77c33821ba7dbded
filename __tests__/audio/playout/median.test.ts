import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median } from '../../../src/audio/playout/median.js';

test('the median of an odd count is the middle value, of an even count the mean of the two middle ones', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([-2]), -2);
});

test('the input is left unsorted', () => {
  const a = [3, 1, 2];
  median(a);
  assert.deepEqual(a, [3, 1, 2]);
});

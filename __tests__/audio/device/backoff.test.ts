import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retryDelayMs } from '../../../src/audio/device/backoff.js';

test('retries start quick and double up to a few seconds', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 20].map(retryDelayMs), [250, 500, 1000, 2000, 4000, 4000, 4000]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDrift } from '../../src/ui/text-format.js';

test('formatDrift shows ppm and what it adds up to in an hour', () => {
  assert.equal(formatDrift(100), '+100 ppm ≈ +360 ms/hour');
  assert.equal(formatDrift(-12.4), '-12 ppm ≈ -43 ms/hour');
  assert.equal(formatDrift(0.2), '0 ppm ≈ 0 ms/hour');
  assert.equal(formatDrift(null), 'measuring…');
});

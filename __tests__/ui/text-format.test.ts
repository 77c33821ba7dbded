import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitParts, formatDrift } from '../../src/ui/text-format.js';

test('formatDrift shows ppm and what it adds up to in an hour', () => {
  assert.equal(formatDrift(100), '+100 ppm ≈ +360 ms/hour');
  assert.equal(formatDrift(-12.4), '-12 ppm ≈ -43 ms/hour');
  assert.equal(formatDrift(0.2), '0 ppm ≈ 0 ms/hour');
  assert.equal(formatDrift(null), 'measuring…');
});

test('fitParts leaves out the last parts that do not fit, never the kept ones', () => {
  assert.deepEqual(fitParts(['running 0:02', 'UDP → h:1', 'source tone', '10 ms frames'], 40), ['running 0:02', 'UDP → h:1', 'source tone']);
  assert.deepEqual(fitParts(['running 0:02', 'UDP → h:1', 'source tone'], 5, 2), ['running 0:02', 'UDP → h:1']);
  assert.deepEqual(fitParts(['a', 'b'], 4), ['a', 'b']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colorWanted } from '../../../src/ui/contexts/theme-context.js';

test('NO_COLOR set to anything but empty turns colour off', () => {
  assert.equal(colorWanted({}), true);
  assert.equal(colorWanted({ NO_COLOR: '' }), true);
  assert.equal(colorWanted({ NO_COLOR: '1' }), false);
  assert.equal(colorWanted({ NO_COLOR: 'yes' }), false);
});

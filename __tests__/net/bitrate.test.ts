import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BitrateMeter } from '../../src/net/bitrate.js';

test('reports kbit/s over the time since the previous sample, and keeps the total', () => {
  const m = new BitrateMeter(0);
  m.add(500);
  m.add(750);
  assert.equal(m.takeKbps(1000), 10);
  m.add(250);
  assert.equal(m.takeKbps(1500), 4);
  assert.equal(m.total, 1500);
  assert.equal(m.takeKbps(2500), 0);
});

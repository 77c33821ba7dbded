import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RECEIVE_INTERRUPT_BUDGET, TIER_UP_FOR_MS, V8_INTERRUPT_BUDGET, settleTierUpAfter, tierUpSooner } from '../../src/session/jit-tuning.js';

test('a budget given on the command line is left alone; else the receive budget is set once', () => {
  assert.equal(tierUpSooner(['--interrupt-budget=67584']), undefined);
  assert.equal(tierUpSooner([]), RECEIVE_INTERRUPT_BUDGET);
  assert.equal(tierUpSooner(['--interrupt-budget=67584']), RECEIVE_INTERRUPT_BUDGET); // already applied: says so
});

test('settleTierUpAfter: V8 default budget again once, after the given time, only if the low one was set', async () => {
  const { mock } = await import('node:test');
  assert.equal(tierUpSooner([]), RECEIVE_INTERRUPT_BUDGET); // set by the test above, or here
  const set: string[] = [];
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    assert.equal(settleTierUpAfter(5000, (f) => set.push(f)), true);
    assert.equal(settleTierUpAfter(5000, (f) => set.push(f)), false, 'a second stream does not schedule it again');
    mock.timers.tick(4999);
    assert.deepEqual(set, []);
    mock.timers.tick(1);
    assert.deepEqual(set, [`--interrupt-budget=${V8_INTERRUPT_BUDGET}`]);
  } finally {
    mock.timers.reset();
  }
  assert.equal(TIER_UP_FOR_MS, 5000);
});

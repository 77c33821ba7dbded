import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RECEIVE_INTERRUPT_BUDGET, tierUpSooner } from '../../src/session/jit-tuning.js';

test('a budget given on the command line is left alone; else the receive budget is set once', () => {
  assert.equal(tierUpSooner(['--interrupt-budget=67584']), undefined);
  assert.equal(tierUpSooner([]), RECEIVE_INTERRUPT_BUDGET);
  assert.equal(tierUpSooner(['--interrupt-budget=67584']), RECEIVE_INTERRUPT_BUDGET); // already applied: says so
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createThrottle, type Timers } from '../../src/ui/throttle.js';

/** Timers that run only when told to. */
function manual(): Timers & { fire(): void; pending(): number } {
  let next: (() => void) | undefined;
  return {
    setTimeout: (fn) => ((next = fn), 1),
    clearTimeout: () => (next = undefined),
    fire: () => {
      const f = next;
      next = undefined;
      f?.();
    },
    pending: () => (next ? 1 : 0),
  };
}

test('the first value goes out at once; a burst collapses into its newest', () => {
  const t = manual();
  const got: number[] = [];
  const th = createThrottle((v: number) => got.push(v), 66, t);
  for (let i = 1; i <= 1000; i++) th.push(i);
  assert.deepEqual(got, [1]);
  t.fire();
  assert.deepEqual(got, [1, 1000]);
  t.fire();
  assert.deepEqual(got, [1, 1000], 'nothing new: nothing delivered');
  assert.equal(t.pending(), 0);
});

test('nothing is delivered after cancel', () => {
  const t = manual();
  const got: number[] = [];
  const th = createThrottle((v: number) => got.push(v), 66, t);
  th.push(1);
  th.push(2);
  th.cancel();
  t.fire();
  th.push(3);
  assert.deepEqual(got, [1]);
});

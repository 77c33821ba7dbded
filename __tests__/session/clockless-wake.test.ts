// The clockless sink's wake-up period on the batch path: a pure function of
// the packet rate, the batch reader's slots and what the kernel's buffer
// holds, and the tuner that follows the rate at each wake-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CLOCKLESS_WAKE_MS, WakeTuner, clocklessWakeMs } from '../../src/session/clockless-wake.js';
import { CLOCKLESS_WAKE_MS } from '../../src/session/open-audio.js';

const roomy = { slots: 64, kernelDatagrams: 10_000 };

test('clocklessWakeMs: as long as 200 ms while a wake-up fits one read, never below 40 ms for the slots, whole pulls', () => {
  assert.equal(clocklessWakeMs(100, roomy), MAX_CLOCKLESS_WAKE_MS); // 10 ms packets
  assert.equal(clocklessWakeMs(400, roomy), 160); // 2.5 ms packets: 64 a wake-up, one read
  assert.equal(clocklessWakeMs(0, roomy), MAX_CLOCKLESS_WAKE_MS); // silence: nothing to hold
  assert.equal(clocklessWakeMs(1000, roomy), 60); // 64 slots hold 64 ms: 6 pulls
  assert.equal(clocklessWakeMs(2000, roomy), CLOCKLESS_WAKE_MS); // more reads a wake-up, as before this adapted
  assert.equal(clocklessWakeMs(24_000, roomy), CLOCKLESS_WAKE_MS); // the capacity bench's rate, 8 MB buffer
});

test('clocklessWakeMs: a quarter of what the kernel buffer holds, down to every pull', () => {
  // Linux's default buffer (425984 bytes) of 902-byte datagrams: ~150.
  const small = { slots: 64, kernelDatagrams: 150 };
  assert.equal(clocklessWakeMs(100, small), 200); // 375 ms would still be a quarter
  assert.equal(clocklessWakeMs(400, small), 90); // 150 / 4 / 400 = 93.75 ms
  assert.equal(clocklessWakeMs(2000, small), 10); // 18.75 ms: one pull
  assert.equal(clocklessWakeMs(24_000, small), 10); // fills in 6 ms: every pull, the shortest there is
  for (const pps of [50, 100, 400, 1000, 5000, 24_000]) {
    for (const k of [150, 2000, 10_000]) {
      const ms = clocklessWakeMs(pps, { slots: 64, kernelDatagrams: k });
      assert.equal(ms % 10, 0, `${ms} ms is whole pulls`);
      assert.ok(ms >= 10 && ms <= MAX_CLOCKLESS_WAKE_MS);
      assert.ok(ms === 10 || (pps * ms) / 1000 <= k / 4, `${pps} pps, ${k} datagrams: ${ms} ms`);
    }
  }
});

test('WakeTuner: lengthens after a second at a low rate, shortens at the first wake-up of a faster stream', () => {
  const t = new WakeTuner(() => roomy);
  let now = 0;
  let datagrams = 0;
  const wake = (ms: number, pps: number): number | undefined => {
    now += ms;
    datagrams += (pps * ms) / 1000;
    return t.wake(now, datagrams);
  };
  assert.equal(t.wakeMs, CLOCKLESS_WAKE_MS);
  const changes: Array<number | undefined> = [];
  for (let i = 0; i < 30; i++) changes.push(wake(t.wakeMs, 100));
  assert.deepEqual(changes.filter((c) => c !== undefined), [200], 'once, to 200 ms');
  assert.ok(changes.indexOf(200) >= 24, `not before a second: at wake-up ${changes.indexOf(200)}`);
  assert.equal(t.wakeMs, 200);
  assert.equal(wake(200, 1000), 60, 'a tenfold rate shortens it at once');
  assert.equal(wake(60, 1000), undefined);
  // Back to 100 pps: the period waits for a second's rate.
  const back: Array<number | undefined> = [];
  for (let i = 0; i < 20; i++) back.push(wake(t.wakeMs, 100));
  assert.equal(back.filter((c) => c !== undefined).length, 1);
  assert.equal(t.wakeMs, 200);
});

test('WakeTuner.restart: a new reader counting from zero is not read as a rate', () => {
  const t = new WakeTuner(() => roomy); // 40 ms
  assert.equal(t.wake(0, 0), undefined);
  assert.equal(t.wake(1040, 2080), undefined, '2000 pps: stays at 40 ms');
  t.restart(); // receive --sap: another stream, another reader
  assert.equal(t.wake(2100, 5), undefined, 'its count from zero says nothing (it would read as no packets: 200 ms)');
  assert.equal(t.wake(2140, 85), undefined);
  assert.equal(t.wakeMs, 40);
});

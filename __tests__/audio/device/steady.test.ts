import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SteadyDetector } from '../../../src/audio/device/steady.js';

const RATE = 1000; // 10 frames per 10 ms buffer

test('a device taking one buffer every 10 ms settles after one window', () => {
  const d = new SteadyDetector(RATE, 200);
  let at = -1;
  for (let t = 0; t <= 400 && at < 0; t += 10) if (d.note(t, 10)) at = t;
  assert.equal(at, 200);
});

test('a start-up burst followed by a stall does not count as steady', () => {
  const d = new SteadyDetector(RATE, 200);
  for (let i = 0; i < 6; i++) assert.equal(d.note(i, 10), false); // primed at once
  assert.equal(d.note(520, 10), false); // then half a second of nothing
  let at = -1;
  for (let t = 530; t <= 1000 && at < 0; t += 10) if (d.note(t, 10)) at = t;
  assert.ok(at >= 620 && at <= 730, `settled at ${at} ms, once a window of steady pace is seen`);
});

test('a backlog handed over at once is not steady', () => {
  const d = new SteadyDetector(RATE, 200);
  d.note(0, 10);
  assert.equal(d.note(250, 500), false);
});

test('a driver delivering 40 ms at a time every 40 ms is steady', () => {
  const d = new SteadyDetector(RATE, 200);
  let settled = false;
  for (let t = 0; t <= 400; t += 40) settled = d.note(t, 40);
  assert.equal(settled, true);
});

test('once settled it stays so until reset', () => {
  const d = new SteadyDetector(RATE, 100);
  for (let t = 0; t <= 100; t += 10) d.note(t, 10);
  assert.equal(d.note(5000, 0), true);
  d.reset();
  assert.equal(d.steady, false);
});

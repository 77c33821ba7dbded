import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceLiveness } from '../../../src/audio/device/liveness.js';

const RATE = 1000; // 10 frames per 10 ms buffer
const OPTS = { stallMs: 1000, firstAudioMs: 5000 };

test('buffers taken at once when the stream opens, then 1.7 s of nothing, is a slow start, not a lost device', () => {
  const l = new DeviceLiveness(RATE, 0, OPTS);
  for (let i = 0; i < 6; i++) l.moved(i, 10); // PortAudio and naudiodon's queue prime
  assert.equal(l.check(1700), undefined);
  assert.equal(l.flowing, false);
  let at = -1;
  for (let t = 1700; t <= 2500 && at < 0; t += 10) if (l.moved(t, 10)) at = t;
  assert.ok(at >= 1800 && at <= 2000, `flowing from ${at} ms, only once the device takes audio again`);
});

test('once flowing, a second without audio is a lost device', () => {
  const l = new DeviceLiveness(RATE, 0, OPTS);
  for (let t = 0; t <= 300; t += 10) l.moved(t, 10);
  assert.equal(l.flowing, true);
  assert.equal(l.check(1250), undefined);
  assert.equal(l.check(1350), 'no audio from the device for 1.1 s (device lost?)');
});

test('a device that never starts is reported after the start-up grace', () => {
  const l = new DeviceLiveness(RATE, 100, OPTS);
  for (let i = 0; i < 6; i++) l.moved(100 + i, 10);
  assert.equal(l.check(5000), undefined);
  assert.equal(l.check(5200), 'the device did not start in 5.1 s');
});

test('moved() says "flowing" once', () => {
  const l = new DeviceLiveness(RATE, 0, OPTS);
  let times = 0;
  for (let t = 0; t <= 1000; t += 10) if (l.moved(t, 10)) times++;
  assert.equal(times, 1);
});

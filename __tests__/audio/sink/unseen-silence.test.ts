import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnseenSilence } from '../../../src/audio/sink/unseen-silence.js';

/** Takes of 10 ms buffers at the given times (ms). */
function takes(u: UnseenSilence, times: number[]): void {
  for (const t of times) u.took(t, 10);
}
const every10 = (from: number, to: number): number[] => Array.from({ length: Math.floor((to - from) / 10) + 1 }, (_, i) => from + i * 10);

test('a device that stops for 50 ms and goes on where it stopped played 50 ms of silence of its own', () => {
  const u = new UnseenSilence();
  takes(u, every10(0, 1000));
  u.underflow(1050);
  takes(u, every10(1060, 1500)); // no catch-up: the 50 ms are gone
  assert.equal(u.settle(1300), 0, 'not judged before the device had time to catch up');
  assert.equal(u.settle(1400), 50);
  assert.equal(u.settle(1500), 0, 'judged once');
});

test('a device that stalls and then catches up in a bunch lost nothing', () => {
  const u = new UnseenSilence();
  takes(u, every10(0, 1000));
  u.underflow(1060);
  takes(u, [1061, 1061.5, 1062, 1062.5, 1063, 1063.5]); // the six buffers it owed, at once
  takes(u, every10(1070, 1500));
  assert.equal(u.settle(1400), 0);
});

test('an underflow after which the device refills its buffer in a burst: only what it played as silence is lost', () => {
  const u = new UnseenSilence();
  takes(u, every10(0, 1000));
  // 80 ms without a take: its 30 ms buffer ran dry after 30, then 50 ms of silence; it refills 30 ms at once.
  u.underflow(1080);
  takes(u, [1081, 1082, 1083]);
  takes(u, every10(1090, 1500));
  assert.equal(u.settle(1400), 50);
});

test('drops within a buffer are the phase of the takes, and no underflow means nothing to judge', () => {
  const u = new UnseenSilence();
  takes(u, every10(0, 1000));
  u.underflow(1005);
  takes(u, every10(1015, 1500)); // 5 ms later than before
  assert.equal(u.settle(1400), 0);
  const quiet = new UnseenSilence();
  takes(quiet, every10(0, 1000));
  takes(quiet, every10(1100, 1500)); // a gap with no underflow reported: not ours to judge
  assert.equal(quiet.settle(1500), 0);
});

test('underflows in one episode are judged together; reset forgets the clock', () => {
  const u = new UnseenSilence();
  takes(u, every10(0, 1000));
  u.underflow(1040);
  takes(u, every10(1050, 1100)); // 40 ms lost
  u.underflow(1140); // a second one, 40 ms more
  takes(u, every10(1150, 1500));
  assert.equal(u.settle(1400), 0, 'the judging waits for the last one');
  assert.equal(u.settle(1450), 80);
  u.reset();
  u.underflow(2000); // no takes yet since the reset: nothing to compare with
  takes(u, every10(2010, 2500));
  assert.equal(u.settle(2400), 0);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiverStats, type SeqVerdict } from '../../../src/net/rtp/receiver-stats.js';

const RATE = 8000;
const FRAME = 160; // 20 ms at 8 kHz

/** Feeds seqs `start + offsets[i]` (mod 2^16), each on time, 20 ms apart. */
function feed(stats: ReceiverStats, start: number, offsets: number[]): SeqVerdict[] {
  return offsets.map((o, i) => stats.onPacket((start + o) & 0xffff, (o * FRAME) >>> 0, i * 20));
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

test('an in-order stream from a random start counts every packet, the first included', () => {
  const stats = new ReceiverStats(RATE);
  const verdicts = feed(stats, 41234, range(50));
  assert.deepEqual(new Set(verdicts), new Set(['new']));
  const s = stats.snapshot();
  assert.deepEqual([s.received, s.expected, s.lost, s.lossPercent], [50, 50, 0, 0]);
});

test('a second packet that arrives out of order still counts the stream from its first packet', () => {
  const stats = new ReceiverStats(RATE);
  // 2 before 1, and 6 lost: A.1's probation would restart on 2 and again on 1.
  const verdicts = feed(stats, 3000, [0, 2, 1, 3, 4, 5, 7, 8, 9]);
  assert.equal(verdicts[2], 'reordered');
  const s = stats.snapshot();
  assert.deepEqual([s.received, s.expected, s.lost, s.outOfOrder], [9, 10, 1, 1]);
});

test('a first packet that arrives after the second one is counted', () => {
  const stats = new ReceiverStats(RATE);
  const verdicts = feed(stats, 65535, [1, 0, 2, 3]); // 0 (= 65535) after 1 (= 0), across the wrap
  assert.equal(verdicts[1], 'reordered');
  const s = stats.snapshot();
  assert.deepEqual([s.received, s.expected, s.lost, s.outOfOrder], [4, 4, 0, 1]);
});

test('injected drops, duplicates and a swap are counted exactly', () => {
  const stats = new ReceiverStats(RATE);
  // 0..19, drop 5 and 9, send 3 and 7 twice, swap 12 and 13.
  const order = [0, 1, 2, 3, 3, 4, 6, 7, 7, 8, 10, 11, 13, 12, 14, 15, 16, 17, 18, 19];
  const verdicts = feed(stats, 1000, order);
  assert.equal(verdicts[4], 'duplicate');
  assert.equal(verdicts[8], 'duplicate');
  assert.equal(verdicts[13], 'reordered');
  const s = stats.snapshot();
  assert.deepEqual(
    [s.received, s.expected, s.lost, s.duplicates, s.outOfOrder],
    [18, 20, 2, 2, 1],
  );
  assert.equal(s.lossPercent, 10);
});

test('a duplicate cannot hide a loss', () => {
  const stats = new ReceiverStats(RATE);
  feed(stats, 7, [0, 1, 2, 4, 4, 5]); // 3 lost, 4 twice
  const s = stats.snapshot();
  assert.deepEqual([s.received, s.expected, s.lost, s.duplicates], [5, 6, 1, 1]);
});

test('sequence numbers wrap from 65535 to 0', () => {
  const stats = new ReceiverStats(RATE);
  feed(stats, 65530, [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11]); // 65536 (= 0) lost
  const s = stats.snapshot();
  assert.deepEqual([s.received, s.expected, s.lost], [11, 12, 1]);
});

test('a packet from before the wrap, arriving after it, is reordered not a jump', () => {
  const stats = new ReceiverStats(RATE);
  const verdicts = feed(stats, 65530, [0, 1, 2, 3, 4, 6, 7, 5, 8]); // 65535 after 0 and 1
  assert.equal(verdicts[7], 'reordered');
  const s = stats.snapshot();
  assert.deepEqual([s.received, s.expected, s.lost, s.outOfOrder], [9, 9, 0, 1]);
});

test('a late packet previously counted lost lowers lost', () => {
  const stats = new ReceiverStats(RATE);
  feed(stats, 500, [0, 1, 2, 3, 5, 6, 7, 8, 9, 10]);
  assert.equal(stats.snapshot().lost, 1);
  assert.equal(stats.onPacket(504, 4 * FRAME, 300), 'reordered');
  assert.equal(stats.snapshot().lost, 0);
  assert.equal(stats.snapshot().received, 11);
});

test('a duplicate of a reordered packet is still a duplicate', () => {
  const stats = new ReceiverStats(RATE);
  feed(stats, 500, [0, 1, 3, 2, 2]);
  const s = stats.snapshot();
  assert.deepEqual([s.received, s.lost, s.duplicates, s.outOfOrder], [4, 0, 1, 1]);
});

test('a big jump is rejected until the next packet confirms it, then counting goes on', () => {
  const stats = new ReceiverStats(RATE);
  feed(stats, 100, range(10)); // 100..109
  assert.equal(stats.onPacket(20000, 0, 300), 'bad');
  assert.equal(stats.snapshot().received, 10);
  assert.equal(stats.onPacket(20001, FRAME, 320), 'new');
  assert.equal(stats.onPacket(20002, 2 * FRAME, 340), 'new');
  const s = stats.snapshot();
  assert.deepEqual([s.received, s.expected, s.lost], [13, 13, 0]);
});

test('interarrival jitter matches RFC 3550 A.8 computed by hand', () => {
  const stats = new ReceiverStats(RATE);
  // 20 ms packets arriving at 0, 20, 45, 60, 80 ms. In timestamp units:
  // D = 0, +40, −40, 0 → J = 0, 2.5, 2.5 + 37.5/16, that − that/16.
  const arrivals = [0, 20, 45, 60, 80];
  arrivals.forEach((at, i) => stats.onPacket(9 + i, 1234 + i * FRAME, at));
  let j = 0;
  for (const d of [0, 40, 40, 0]) j += (d - j) / 16;
  assert.equal(j, 4.541015625);
  assert.equal(stats.snapshot().jitterMs, j / 8);
});

test('constant transit time gives zero jitter, across the timestamp wrap', () => {
  const stats = new ReceiverStats(RATE);
  for (let i = 0; i < 30; i++) stats.onPacket(i, (0xffffff00 + i * FRAME) >>> 0, 1000 + i * 20);
  assert.equal(stats.snapshot().jitterMs, 0);
});

test('a duplicate does not move the jitter', () => {
  const stats = new ReceiverStats(RATE);
  feed(stats, 0, range(5));
  const before = stats.snapshot().jitterMs;
  assert.equal(stats.onPacket(4, 4 * FRAME, 500), 'duplicate');
  assert.equal(stats.snapshot().jitterMs, before);
});

test('a new clock rate keeps the jitter in milliseconds', () => {
  const stats = new ReceiverStats(RATE);
  [0, 20, 45].forEach((at, i) => stats.onPacket(i, i * FRAME, at));
  const before = stats.snapshot().jitterMs;
  stats.setClockRate(48000);
  assert.equal(stats.snapshot().jitterMs, before);
});

test('reset forgets the source', () => {
  const stats = new ReceiverStats(RATE);
  feed(stats, 0, [0, 1, 3, 3]);
  stats.reset();
  assert.deepEqual(stats.snapshot(), {
    received: 0,
    expected: 0,
    lost: 0,
    lossPercent: 0,
    jitterMs: 0,
    outOfOrder: 0,
    duplicates: 0,
  });
  feed(stats, 5000, [0, 1]); // a new source counts from its own first packet
  assert.deepEqual([stats.snapshot().received, stats.snapshot().expected], [2, 2]);
});

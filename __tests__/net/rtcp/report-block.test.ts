import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiverStats } from '../../../src/net/rtp/receiver-stats.js';
import { ReportBlocks } from '../../../src/net/rtcp/report-block.js';

/** Feeds sequence numbers (10 ms apart, 441 samples each, as from a 44.1 kHz sender) into the real stats. */
function feed(stats: ReceiverStats, seqs: number[], t0 = 0): void {
  seqs.forEach((seq, i) => stats.onPacket(seq & 0xffff, (seq * 441) >>> 0, t0 + i * 10));
}

function figures(stats: ReceiverStats) {
  const s = stats.snapshot();
  return { expected: s.expected, received: s.received, lost: s.lost, ...stats.reportFigures() };
}

test('the report block under loss, reorder and duplicates equals RFC 3550 A.3 by hand', () => {
  const stats = new ReceiverStats(44100);
  const blocks = new ReportBlocks();
  // 0..99 with 10, 11, 12 lost, 50/51 swapped, 70 twice: expected 100, received 97 unique.
  const seqs = Array.from({ length: 100 }, (_, i) => i).filter((i) => i < 10 || i > 12);
  const at50 = seqs.indexOf(50);
  [seqs[at50], seqs[at50 + 1]] = [seqs[at50 + 1]!, seqs[at50]!];
  seqs.splice(seqs.indexOf(70), 0, 70);
  feed(stats, seqs);
  const b = blocks.next(0x1234, figures(stats), undefined, 1000);
  assert.equal(b.cumulativeLost, 3);
  assert.equal(b.highestSeq, 99);
  assert.equal(b.fractionLost, Math.floor((3 * 256) / 100)); // 7
  assert.equal(b.lsr, 0);
  assert.equal(b.dlsr, 0);

  // The next interval: 100..199 with 5 lost; fraction is of this interval alone.
  feed(stats, Array.from({ length: 100 }, (_, i) => 100 + i).filter((i) => i % 20 !== 0), 2000);
  const b2 = blocks.next(0x1234, figures(stats), { middle: 0xabcd0000, arrivedMs: 1500 }, 2500);
  assert.equal(b2.cumulativeLost, 8);
  assert.equal(b2.highestSeq, 199);
  assert.equal(b2.fractionLost, Math.floor((5 * 256) / 100)); // 12
  assert.equal(b2.lsr, 0xabcd0000);
  assert.equal(b2.dlsr, 65536, 'one second since the SR arrived, in 1/65536 s');
});

test('across a sequence wrap the extended highest sequence counts the cycle', () => {
  const stats = new ReceiverStats(44100);
  feed(stats, [65530, 65531, 65532, 65533, 65534, 65535, 65536, 65537]);
  assert.equal(new ReportBlocks().next(1, figures(stats), undefined, 0).highestSeq, 0x10001);
});

test('an interval where duplicates outnumber losses reports fraction 0, never negative', () => {
  const blocks = new ReportBlocks();
  blocks.next(1, { expected: 100, received: 100, lost: 0, extendedHighestSeq: 99, jitter: 0 }, undefined, 0);
  const b = blocks.next(1, { expected: 110, received: 112, lost: 0, extendedHighestSeq: 109, jitter: 3 }, undefined, 0);
  assert.equal(b.fractionLost, 0);
  assert.equal(b.jitter, 3);
});

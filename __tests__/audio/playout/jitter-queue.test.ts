import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Concealer } from '../../../src/audio/playout/conceal.js';
import type { SpanWriter } from '../../../src/audio/playout/jitter-queue.js';
import { JitterQueue } from '../../../src/audio/playout/jitter-queue.js';

/** Frames `ts`… of a mono ramp: sample value = its timestamp, so misplacement shows. */
function frames(ts: number, n: number): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => ts + i);
}

function queueOf(...spans: [ts: number, n: number][]): JitterQueue {
  const q = new JitterQueue();
  for (const [ts, n] of spans) q.insert(ts, ts + n, frames(ts, n));
  return q;
}

/** Records what `read` asks for, in order. */
function recorder(): SpanWriter & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    play: (_out, at, src, srcAt, n) => calls.push(`play ${at} from ${src[srcAt]} ×${n}`),
    conceal: (_out, at, n) => calls.push(`conceal ${at} ×${n}`),
  };
}

test('packets inserted out of order are kept in timestamp order', () => {
  const q = queueOf([160, 80], [0, 80], [80, 80]);
  assert.equal(q.length, 3);
  assert.equal(q.first?.ts, 0);
  const w = recorder();
  q.read(new Int16Array(240), 0, 240, w);
  assert.deepEqual(w.calls, ['play 0 from 0 ×80', 'play 80 from 80 ×80', 'play 160 from 160 ×80']);
});

test('end is the largest end queued, not the last inserted', () => {
  const q = queueOf([0, 200], [50, 10]);
  assert.equal(q.end, 200);
});

test('an empty queue has no first packet and an end of −Infinity', () => {
  const q = new JitterQueue();
  assert.equal(q.first, undefined);
  assert.equal(q.end, -Infinity);
});

test('dropBefore drops only the packets that end at or before the cursor', () => {
  const q = queueOf([0, 80], [80, 80], [160, 80]);
  q.dropBefore(159);
  assert.equal(q.length, 2);
  assert.equal(q.first?.ts, 80);
  assert.equal(q.end, 240);
});

test('dropping the last packet resets end to −Infinity', () => {
  const q = queueOf([0, 80]);
  q.dropBefore(80);
  assert.equal(q.length, 0);
  assert.equal(q.end, -Infinity);
});

test('dropped packets are remembered as played, queued ones are not', () => {
  const q = queueOf([0, 80], [80, 80]);
  q.dropBefore(80);
  assert.equal(q.wasPlayed(0), true);
  assert.equal(q.wasPlayed(80), false);
  assert.equal(q.wasPlayed(160), false);
});

test('only the last 64 played starts are remembered', () => {
  const q = new JitterQueue();
  for (let i = 0; i < 65; i++) q.insert(i * 10, i * 10 + 10, frames(0, 10));
  q.dropBefore(650);
  assert.equal(q.wasPlayed(0), false);
  assert.equal(q.wasPlayed(10), true);
  assert.equal(q.wasPlayed(640), true);
});

test('clear forgets the packets and the played starts', () => {
  const q = queueOf([0, 80], [80, 80]);
  q.dropBefore(80);
  q.clear();
  assert.equal(q.length, 0);
  assert.equal(q.end, -Infinity);
  assert.equal(q.wasPlayed(0), false);
});

test('a packet with the same start as a queued one is a duplicate, even if it runs on further', () => {
  const q = queueOf([0, 80], [80, 80]);
  assert.equal(q.isDuplicate(80, 200, -Infinity), true);
});

test('a packet wholly covered by queued packets is a duplicate, a partly new one is not', () => {
  const q = queueOf([0, 80], [80, 80]);
  assert.equal(q.isDuplicate(40, 140, -Infinity), true);
  assert.equal(q.isDuplicate(40, 170, -Infinity), false);
});

test('a packet past all queued audio is not a duplicate', () => {
  const q = queueOf([0, 80]);
  assert.equal(q.isDuplicate(80, 160, -Infinity), false);
});

test('audio already played counts as covering a packet', () => {
  const q = queueOf([100, 80]);
  assert.equal(q.isDuplicate(60, 120, -Infinity), false);
  assert.equal(q.isDuplicate(60, 120, 100), true);
});

test('a read across a hole plays, conceals the gap, plays, then conceals the tail', () => {
  const q = queueOf([100, 20], [130, 10]);
  const w = recorder();
  const r = q.read(new Int16Array(50), 100, 50, w);
  assert.deepEqual(w.calls, ['play 0 from 100 ×20', 'conceal 20 ×10', 'play 30 from 130 ×10', 'conceal 40 ×10']);
  assert.deepEqual({ ...r }, { played: 30, gap: 10, tail: 10 });
});

test('a read starting inside a packet plays from the matching offset', () => {
  const q = queueOf([0, 80], [80, 80]);
  const out = new Int16Array(33);
  const r = q.read(out, 70, 33, new Concealer({ rate: 8000, channels: 1 }));
  assert.deepEqual(out, frames(70, 33));
  assert.deepEqual({ ...r }, { played: 33, gap: 0, tail: 0 });
});

test('a read past the queued audio is all tail', () => {
  const q = queueOf([0, 80]);
  const w = recorder();
  const r = q.read(new Int16Array(80), 80, 80, w);
  assert.deepEqual(w.calls, ['conceal 0 ×80']);
  assert.deepEqual({ ...r }, { played: 0, gap: 0, tail: 80 });
});

test('read reuses one result object', () => {
  const q = queueOf([0, 80]);
  const w = recorder();
  assert.equal(q.read(new Int16Array(10), 0, 10, w), q.read(new Int16Array(10), 10, 10, w));
});

test('unwrap continues across 2^32 and clear starts a new number line', () => {
  const q = new JitterQueue();
  assert.equal(q.unwrap(2 ** 32 - 10), 2 ** 32 - 10);
  assert.equal(q.unwrap(5), 2 ** 32 + 5);
  q.clear();
  assert.equal(q.unwrap(5), 5);
});

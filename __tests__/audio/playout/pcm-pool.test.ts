import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JitterBuffer } from '../../../src/audio/playout/jitter-buffer.js';
import { PcmPool } from '../../../src/audio/playout/pcm-pool.js';
import type { PlayoutWriter } from '../../../src/audio/playout/jitter-queue.js';
import { l16Into, l16ToPcm, pcmToL16 } from '../../../src/net/rtp/l16.js';
import { seededRandom } from '../../../src/net/impair.js';
import type { AudioFormat } from '../../../src/shared/audio-format.js';

const MONO: AudioFormat = { rate: 8000, channels: 1 };
const FRAME = 80; // 10 ms at 8 kHz

test('the pool hands back what it was given, of its one size only', () => {
  const pool = new PcmPool();
  const a = pool.take(80);
  pool.give(a);
  assert.equal(pool.take(80), a);
  assert.equal(pool.allocated, 1);
  pool.give(new Int16Array(40)); // another size: not kept
  assert.equal(pool.freeCount, 0);
  const b = pool.take(40); // the size changes: the old arrays go
  assert.equal(b.length, 40);
  assert.equal(pool.allocated, 2);
});

test('l16Into swaps the payload in place of l16ToPcm', () => {
  const pcm = Int16Array.from([0, 1, -1, 32767, -32768, 12345]);
  const wire = Buffer.concat([Buffer.from([9, 9, 9]), pcmToL16(pcm)]);
  assert.deepEqual(l16Into(wire, 3, new Int16Array(6)), l16ToPcm(wire.subarray(3)));
  assert.deepEqual(l16Into(wire, 3, new Int16Array(6)), pcm);
});

/**
 * A 10 ms stream through two jitter buffers, one fed fresh arrays and one fed
 * pooled arrays as the receiver does (written from the wire into the pool's
 * array, which the buffer gives back once played or not queued). Reordered,
 * duplicate and late packets included. Had an array gone back while still
 * queued, the next packet would overwrite audio not yet played.
 */
function run(withPool: boolean): { out: number[]; pool: PcmPool; results: string[] } {
  const pool = new PcmPool();
  const jb = new JitterBuffer({ format: MONO, targetMs: 40, ...(withPool ? { pool } : {}) });
  const random = seededRandom(7);
  const arrivals: Array<{ at: number; seq: number }> = [];
  for (let seq = 0; seq < 300; seq++) {
    let at = seq * 10 + random() * 8;
    if (seq % 37 === 5) at += 25; // reordered behind the next two
    if (seq % 53 === 9) at += 80; // late: its time has played
    arrivals.push({ at, seq });
    if (seq % 41 === 3) arrivals.push({ at: at + 3, seq }); // duplicate
  }
  arrivals.sort((a, b) => a.at - b.at);
  const wire = (seq: number): Buffer => {
    const pcm = new Int16Array(FRAME);
    for (let i = 0; i < FRAME; i++) pcm[i] = ((seq * FRAME + i) * 7919) % 30000;
    return pcmToL16(pcm);
  };
  const out: number[] = [];
  const results: string[] = [];
  let next = 0;
  for (let t = 0; t < 3200; t += 10) {
    while (next < arrivals.length && arrivals[next]!.at <= t) {
      const { at, seq } = arrivals[next++]!;
      const pcm = withPool ? l16Into(wire(seq), 0, pool.take(FRAME)) : l16ToPcm(wire(seq));
      results.push(jb.push(1000 + seq * FRAME, pcm, at));
    }
    out.push(...jb.pull(FRAME, t).pcm);
  }
  return { out, pool, results };
}

test('pooled packet arrays play bit for bit what fresh ones do, and a steady stream allocates a queue’s worth', () => {
  const fresh = run(false);
  const pooled = run(true);
  assert.ok(pooled.results.includes('late') && pooled.results.includes('duplicate') && pooled.results.includes('queued'));
  assert.deepEqual(pooled.results, fresh.results);
  assert.deepEqual(pooled.out, fresh.out);
  // 300+ packets, at most ~6 queued at a time (40 ms target, 8 ms jitter, a reorder of 25 ms).
  assert.ok(pooled.pool.allocated <= 12, `allocated ${pooled.pool.allocated}`);
});

test('a codec writer’s arrays (Opus: known by identity) do not go back to the pool', () => {
  const pool = new PcmPool();
  const jb = new JitterBuffer({ format: MONO, targetMs: 20, pool });
  const writer: PlayoutWriter = {
    play: (out, at, src, srcAt, n) => out.set(src.subarray(srcAt, srcAt + n), at),
    conceal: (out, at, n) => out.fill(0, at, at + n),
    reset: () => undefined,
  };
  jb.reset(MONO, writer);
  pool.take(FRAME); // the pool's size is a packet's
  for (let i = 0; i < 20; i++) {
    jb.push(1000 + i * FRAME, new Int16Array(FRAME), i * 10);
    jb.pull(FRAME, i * 10);
  }
  assert.equal(pool.freeCount, 0);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpusDecoder } from '../../../src/audio/codec/opus.js';
import { OpusPlayoutWriter } from '../../../src/audio/codec/opus-playout.js';
import { JitterBuffer } from '../../../src/audio/playout/jitter-buffer.js';
import { JitterQueue } from '../../../src/audio/playout/jitter-queue.js';
import { concat, errorDb, ffmpegOpusPayloads } from './fixtures.js';

const LOST = 12;

function writer(): OpusPlayoutWriter {
  return new OpusPlayoutWriter(new OpusDecoder({ channels: 1 }), 1);
}

/** Plays the packets (less `lost`) through a queue and the writer, in pulls of 441 frames (no multiple of a packet). */
function playThroughQueue(payloads: Uint8Array[], w: OpusPlayoutWriter, lost: number): Int16Array {
  const q = new JitterQueue();
  payloads.forEach((p, i) => {
    if (i === lost) return;
    const pcm = w.hold(p);
    assert.ok(typeof pcm !== 'string');
    q.insert(i * 960, (i + 1) * 960, pcm);
  });
  const total = payloads.length * 960;
  const out: Int16Array[] = [];
  for (let at = 0; at < total; at += 441) {
    const n = Math.min(441, total - at);
    const buf = new Int16Array(n);
    q.read(buf, at, n, w);
    out.push(buf);
  }
  return concat(out);
}

function reference(payloads: Uint8Array[]): Int16Array {
  const dec = new OpusDecoder({ channels: 1 });
  return concat(payloads.map((p) => dec.decode(p, 960)));
}

test('a lost packet whose successor is queued is rebuilt from its FEC, decoded in timeline order', () => {
  const payloads = ffmpegOpusPayloads('mono-fec');
  const w = writer();
  const out = playThroughQueue(payloads, w, LOST);
  assert.equal(w.recovered, 1);
  assert.equal(w.takeRecoveredFrames(), 960);
  assert.equal(w.takeRecoveredFrames(), 0);
  const ref = reference(payloads);
  assert.ok(errorDb(ref, out, LOST * 960, (LOST + 1) * 960) < -6);
  // The packets around it are the decoder's own output, unchanged by the pull boundaries.
  assert.ok(errorDb(ref, out, 0, LOST * 960) < -60);
});

test('without FEC in the next packet the decoder conceals the loss (no silence, nothing counted as recovered)', () => {
  const payloads = ffmpegOpusPayloads('mono');
  const w = writer();
  const out = playThroughQueue(payloads, w, LOST);
  assert.equal(w.recovered, 0);
  assert.equal(w.takeRecoveredFrames(), 0);
  const gap = out.subarray(LOST * 960, LOST * 960 + 480);
  assert.ok(Math.max(...gap.map(Math.abs)) > 1000, 'PLC continues the tone');
});

test('before any packet has played, concealment is silence and the decoder is left alone', () => {
  const w = writer();
  const out = new Int16Array(480).fill(7);
  w.conceal(out, 0, 480);
  assert.ok(out.every((v) => v === 0));
});

test('a payload that is no Opus packet is refused at once (counted malformed by the receiver)', () => {
  assert.equal(typeof writer().hold(new Uint8Array(0)), 'string');
});

/** Pushes 20 ms packets on time (one lost) into a 40 ms jitter buffer and pulls 10 ms at a time; returns its stats. */
function jitterBufferRun(name: 'mono' | 'mono-fec') {
  const payloads = ffmpegOpusPayloads(name);
  const w = writer();
  const jb = new JitterBuffer({ format: { rate: 48000, channels: 1 }, targetMs: 40 });
  jb.reset({ rate: 48000, channels: 1 }, w);
  let next = 0;
  for (let t = 0; t < payloads.length * 20 + 60; t += 10) {
    while (next < payloads.length && next * 20 <= t) {
      if (next !== LOST) jb.push(next * 960, w.hold(payloads[next]!) as Int16Array, t);
      next++;
    }
    jb.pull(480, t);
  }
  return { stats: jb.stats(), recovered: w.recovered };
}

test('the jitter buffer counts FEC-rebuilt audio as recovered, not concealed; PLC-made audio as concealed', () => {
  const fec = jitterBufferRun('mono-fec');
  const plc = jitterBufferRun('mono');
  assert.equal(fec.recovered, 1);
  assert.equal(fec.stats.concealedMs, 0);
  assert.equal(plc.recovered, 0);
  assert.equal(plc.stats.concealedMs, 20);
});

test("a peer's DTX: ffmpeg's 3-byte silence packets, and a stretch with no packets at all, decode to quiet audio of the right length", () => {
  const payloads = ffmpegOpusPayloads('dtx');
  const tiny = payloads.findIndex((p) => p.length <= 3);
  assert.ok(tiny > 10, 'the fixture goes quiet after the sine');
  const w = writer();
  // The sender stops sending during the silence (true DTX): 20 packets after the first tiny one never come.
  const q = new JitterQueue();
  payloads.forEach((p, i) => {
    if (i > tiny && i <= tiny + 20) return;
    q.insert(i * 960, (i + 1) * 960, w.hold(p) as Int16Array);
  });
  const total = payloads.length * 960;
  const out = new Int16Array(total);
  for (let at = 0; at < total; at += 480) q.read(out.subarray(at, at + 480), at, 480, w);
  assert.ok(Math.max(...out.subarray(5 * 960, 10 * 960).map(Math.abs)) > 1000, 'the sine before');
  const quiet = out.subarray((tiny + 5) * 960, total);
  assert.ok(Math.max(...quiet.map(Math.abs)) < 300, 'comfort noise at most, no burst');
  assert.equal(w.decodeErrors, 0);
});

test('random bytes as Opus: refused at once or concealed when they fail to decode, never thrown at playout', () => {
  let seed = 42;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % n;
  const w = writer();
  const q = new JitterQueue();
  const good = ffmpegOpusPayloads('mono');
  let at = 0;
  let refused = 0;
  for (let i = 0; i < 400; i++) {
    const p = i % 4 === 0 ? good[i % good.length]! : Uint8Array.from({ length: 1 + rand(300) }, () => rand(256));
    const pcm = w.hold(p);
    if (typeof pcm === 'string') {
      refused++;
      continue;
    }
    q.insert(at, at + pcm.length, pcm);
    at += pcm.length;
  }
  const out = new Int16Array(480);
  for (let pos = 0; pos < at; pos += 480) assert.doesNotThrow(() => q.read(out, pos, 480, w));
  assert.ok(refused > 0 && w.decodeErrors > 0, `refused ${refused}, decode errors ${w.decodeErrors}`);
});

test('a held packet is copied: the socket buffer it came in (a Buffer view the batch reader reuses) may be overwritten before it plays', () => {
  const payloads = ffmpegOpusPayloads('mono');
  const w = writer();
  const q = new JitterQueue();
  const pool = Buffer.alloc(2048);
  payloads.forEach((p, i) => {
    pool.set(p);
    const pcm = w.hold(pool.subarray(0, p.length));
    assert.ok(typeof pcm !== 'string');
    q.insert(i * 960, (i + 1) * 960, pcm);
    pool.fill(0xa5); // the next datagram lands in the same bytes
  });
  const out = new Int16Array(payloads.length * 960);
  q.read(out, 0, out.length, w);
  assert.deepEqual(out, reference(payloads));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JitterBuffer } from '../../../src/audio/playout/jitter-buffer.js';
import type { AudioFormat } from '../../../src/shared/audio-format.js';

const MONO: AudioFormat = { rate: 8000, channels: 1 };
const FRAME = 80; // 10 ms at 8 kHz
const TARGET = 40;

/** A distinct, reproducible sample per position: any misplacement shows. */
function ramp(n: number, channels = 1): Int16Array {
  const a = new Int16Array(n * channels);
  for (let i = 0; i < a.length; i++) a[i] = ((i * 7919) % 60000) - 30000;
  return a;
}

/** A cosine that is far from zero where the test loses a packet. */
function tone(n: number, hz = 440, amp = 8000): Int16Array {
  const a = new Int16Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.round(amp * Math.cos((2 * Math.PI * hz * i) / MONO.rate + 1));
  return a;
}

interface Arrival {
  at: number; // ms
  ts: number; // raw RTP timestamp
  pcm: Int16Array;
}

/** Cuts `src` into packets of `sizes` frames (cycled), sent in real time from `t0` ms. */
function packetize(src: Int16Array, sizes: number[], ts0 = 1000, channels = 1, t0 = 0): Arrival[] {
  const out: Arrival[] = [];
  for (let f = 0, i = 0; f * channels < src.length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, src.length / channels - f);
    const at = t0 + (f * 1000) / MONO.rate;
    out.push({ at, ts: (ts0 + f) >>> 0, pcm: src.slice(f * channels, (f + n) * channels) });
    f += n;
  }
  return out;
}

interface Run {
  played: Int16Array; // output of the pulls that were playing, in order
  all: Int16Array; // every pull's output
  pulls: { playing: boolean; underrun: boolean; concealedFrames: number }[];
}

/** Pushes arrivals when due and pulls `pullFrames` every period from `fromMs` to `untilMs`. */
function run(jb: JitterBuffer, arrivals: Arrival[], untilMs: number, pullFrames = FRAME, fromMs = 0): Run {
  const ch = jb.format.channels;
  const periodMs = (pullFrames * 1000) / jb.format.rate;
  const pending = [...arrivals].sort((a, b) => a.at - b.at);
  const played: number[] = [];
  const all: number[] = [];
  const pulls: Run['pulls'] = [];
  for (let k = 0; fromMs + k * periodMs <= untilMs; k++) {
    const now = fromMs + k * periodMs;
    while (pending.length > 0 && pending[0]!.at <= now) {
      const a = pending.shift()!;
      jb.push(a.ts, a.pcm, a.at);
    }
    const r = jb.pull(pullFrames, now);
    assert.equal(r.pcm.length, pullFrames * ch);
    all.push(...r.pcm);
    if (r.playing) played.push(...r.pcm);
    pulls.push({ playing: r.playing, underrun: r.underrun, concealedFrames: r.concealedFrames });
  }
  return { played: Int16Array.from(played), all: Int16Array.from(all), pulls };
}

const buffer = (format = MONO, targetMs = TARGET, maxMs?: number): JitterBuffer =>
  new JitterBuffer({ format, targetMs, ...(maxMs === undefined ? {} : { maxMs }) });

function maxStep(a: Int16Array): number {
  let m = 0;
  for (let i = 1; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - a[i - 1]!));
  return m;
}

test('an in-order stream plays back bit-exact after the pre-roll', () => {
  const src = ramp(50 * FRAME);
  const jb = buffer();
  const { played, pulls } = run(jb, packetize(src, [FRAME]), 530); // to the last packet's playout
  assert.deepEqual(played.subarray(0, src.length), src);
  assert.equal(pulls.findIndex((p) => p.playing), TARGET / 10);
  assert.deepEqual(jb.stats(), { late: 0, concealedMs: 0, underruns: 0, overflows: 0, duplicates: 0, skippedMs: 0 });
});

test('pre-roll outputs silence and the playout delay settles at the target', () => {
  const jb = buffer();
  const arrivals = packetize(ramp(20 * FRAME), [FRAME]);
  arrivals.slice(0, 4).forEach((a) => jb.push(a.ts, a.pcm, a.at));
  const wait = jb.pull(FRAME, 30);
  assert.equal(wait.playing, false);
  assert.ok(wait.pcm.every((v) => v === 0));
  assert.equal(jb.bufferedMs, 40);
  assert.equal(jb.pull(FRAME, 40).playing, true);
  jb.push(arrivals[4]!.ts, arrivals[4]!.pcm, 40);
  assert.equal(jb.bufferedMs, 40);
});

test('packets reordered within the target play bit-exact', () => {
  const src = ramp(40 * FRAME);
  const arrivals = packetize(src, [FRAME]);
  arrivals[3]!.at += 15; // after 4 and 5
  arrivals[10]!.at += 25;
  arrivals[0]!.at += 5; // even the first one
  const jb = buffer();
  const { played } = run(jb, arrivals, 500);
  assert.deepEqual(played.subarray(0, src.length), src);
  assert.equal(jb.stats().late, 0);
});

test('a duplicate is reported and does not change the output', () => {
  const src = ramp(30 * FRAME);
  const arrivals = packetize(src, [FRAME]);
  const jb = buffer();
  const dup = arrivals[5]!;
  arrivals.push({ ...dup, at: dup.at + 3 }, { ...arrivals[2]!, at: 200 }); // queued, then already played
  const { played } = run(jb, arrivals, 400);
  assert.deepEqual(played.subarray(0, src.length), src);
  assert.equal(jb.stats().duplicates, 2);
  assert.equal(jb.stats().late, 0);
  assert.equal(jb.push(arrivals[20]!.ts, arrivals[20]!.pcm, 400), 'duplicate');
});

test('a lost packet is filled without a hole or a click', () => {
  const src = tone(40 * FRAME);
  const arrivals = packetize(src, [FRAME]).filter((_, i) => i !== 20);
  const { played } = run(buffer(), arrivals, 500);
  const lossAt = 20 * FRAME;
  const around = played.subarray(lossAt - FRAME, lossAt + 3 * FRAME);
  assert.ok(around.every(Number.isFinite));
  assert.ok(maxStep(around) <= 1.3 * maxStep(src), `step ${maxStep(around)} vs ${maxStep(src)}`);
  // The fill is the previous audio fading, not silence.
  const fill = played.subarray(lossAt, lossAt + 20);
  assert.ok(fill.some((v) => Math.abs(v) > 4000));
  // Once the short fade-in is over, real audio is back unchanged.
  assert.deepEqual(played.subarray(lossAt + FRAME + 20, src.length), src.subarray(lossAt + FRAME + 20));
});

test('concealedMs equals the lost duration', () => {
  const src = ramp(40 * FRAME);
  const arrivals = packetize(src, [FRAME]).filter((_, i) => i !== 12 && i !== 25 && i !== 26);
  const jb = buffer();
  const { pulls } = run(jb, arrivals, 430);
  assert.equal(jb.stats().concealedMs, 30);
  assert.equal(pulls.reduce((n, p) => n + p.concealedFrames, 0), 3 * FRAME);
  assert.equal(jb.stats().underruns, 0);
});

test('a packet arriving after its playout time is counted late and dropped', () => {
  const src = ramp(30 * FRAME);
  const arrivals = packetize(src, [FRAME]);
  arrivals[10]!.at += 100;
  const jb = buffer();
  const results: string[] = [];
  const late = arrivals[10]!;
  run(jb, arrivals.filter((a) => a !== late), late.at - 1);
  results.push(jb.push(late.ts, late.pcm, late.at));
  assert.deepEqual(results, ['late']);
  assert.equal(jb.stats().late, 1);
  assert.equal(jb.stats().concealedMs, 10);
});

test('a frame split into three unequal packets plays bit-exact', () => {
  const src = ramp(30 * FRAME);
  const { played } = run(buffer(), packetize(src, [30, 27, 23]), 400);
  assert.deepEqual(played.subarray(0, src.length), src);
});

test('small packets fill a larger pull bit-exact', () => {
  const src = ramp(30 * FRAME);
  const { played } = run(buffer(), packetize(src, [FRAME / 4]), 400);
  assert.deepEqual(played.subarray(0, src.length), src);
});

test('a pull size that does not divide the packets plays bit-exact', () => {
  const src = ramp(30 * FRAME);
  const { played } = run(buffer(), packetize(src, [FRAME]), 400, 33);
  assert.deepEqual(played.subarray(0, src.length), src);
});

test('stereo plays bit-exact', () => {
  const stereo: AudioFormat = { rate: 8000, channels: 2 };
  const src = ramp(30 * FRAME, 2);
  const { played } = run(buffer(stereo), packetize(src, [50, 30], 7, 2), 400);
  assert.deepEqual(played.subarray(0, src.length), src);
});

test('timestamps wrapping across 2^32 play bit-exact', () => {
  const src = ramp(30 * FRAME);
  const { played } = run(buffer(), packetize(src, [FRAME], 2 ** 32 - 5 * FRAME - 17), 400);
  assert.deepEqual(played.subarray(0, src.length), src);
});

test('a flood far ahead overflows and stays bounded', () => {
  const jb = buffer(MONO, TARGET, 200);
  const arrivals = packetize(ramp(2000 * FRAME), [FRAME]);
  const results = arrivals.map((a) => jb.push(a.ts, a.pcm, 0)); // 20 s of audio at once
  assert.ok(results.includes('overflow'));
  assert.ok(jb.bufferedMs <= 210, `bufferedMs ${jb.bufferedMs}`);
  assert.equal(jb.stats().overflows, results.filter((r) => r === 'overflow').length);
});

test('after an overflow the buffer pre-rolls again from the new packet and fades it in', () => {
  const jb = buffer();
  run(jb, packetize(tone(10 * FRAME), [FRAME]), 90);
  const src = tone(20 * FRAME);
  const jump = packetize(src, [FRAME], 1000 + 8000 * 60, 1, 100);
  assert.equal(jb.push(jump[0]!.ts, jump[0]!.pcm, 100), 'overflow');
  const { played, pulls } = run(jb, jump.slice(1), 400, FRAME, 100);
  assert.equal(pulls.findIndex((p) => p.playing), TARGET / 10);
  assert.ok(Math.abs(played[0]!) < Math.abs(src[0]!) / 4); // faded in, not a step
  assert.deepEqual(played.subarray(20, src.length), src.subarray(20));
});

test('the buffer goes idle after a second without packets; a sender that stops is no underrun', () => {
  const jb = buffer();
  const first = run(jb, packetize(ramp(20 * FRAME), [FRAME]), 1500);
  assert.equal(first.pulls.at(-1)!.playing, false);
  assert.equal(first.pulls.filter((p) => p.underrun).length > 1, true);
  // The pulls after the last packet found nothing, but no audio was missing: the stream had ended.
  assert.equal(jb.stats().underruns, 0);
  assert.equal(jb.stats().concealedMs, 0); // the sender stopped; nothing was lost
  assert.equal(jb.bufferedMs, 0);
});

test('a new stream after idle pre-rolls afresh and plays bit-exact', () => {
  const jb = buffer();
  run(jb, packetize(ramp(20 * FRAME), [FRAME]), 1500);
  const src = tone(20 * FRAME);
  const second = packetize(src, [FRAME], 123456, 1, 2000);
  const { played, pulls } = run(jb, second, 2300, FRAME, 2000);
  assert.equal(pulls.findIndex((p) => p.playing), TARGET / 10);
  assert.deepEqual(played.subarray(0, src.length), src);
});

test('a stall mid-stream counts one underrun and conceals it once audio resumes', () => {
  const src = ramp(60 * FRAME);
  const arrivals = packetize(src, [FRAME]).filter((_, i) => i < 20 || i >= 30);
  const jb = buffer();
  const during = run(jb, arrivals.filter((a) => a.at < 300), 320);
  assert.ok(during.pulls.filter((p) => p.underrun).length >= 5);
  assert.equal(jb.stats().underruns, 0, 'not yet: the sender may have stopped');
  run(jb, arrivals.filter((a) => a.at >= 300), 630, FRAME, 330);
  assert.equal(jb.stats().underruns, 1);
  assert.equal(jb.stats().concealedMs, 100);
});

test('a sender that pauses without a timestamp jump is followed, not dropped forever', () => {
  const src = ramp(60 * FRAME);
  const arrivals = packetize(src, [FRAME]).map((a, i) => (i >= 20 ? { ...a, at: a.at + 300 } : a));
  const jb = buffer();
  const { played } = run(jb, arrivals, 1200);
  const tail = src.subarray(30 * FRAME);
  const at = played.indexOf(tail[0]!);
  assert.ok(at > 0);
  assert.deepEqual(played.subarray(at, at + tail.length), tail);
});

test('reset with a new format takes the format and clears the stats', () => {
  const jb = buffer();
  run(jb, packetize(ramp(20 * FRAME), [FRAME]).filter((_, i) => i !== 8), 300);
  assert.ok(jb.stats().concealedMs > 0);
  jb.reset({ rate: 48000, channels: 2 });
  assert.deepEqual(jb.format, { rate: 48000, channels: 2 });
  assert.equal(jb.stats().concealedMs, 0);
  assert.equal(jb.pull(480, 1000).pcm.length, 960);
});

test('a burst that arrives during the pre-roll does not stay on as extra delay', () => {
  const src = ramp(40 * FRAME);
  // The first packet, then a stalled sender catching up: 20 packets at once.
  const arrivals = packetize(src, [FRAME]).map((a, i) => (i >= 1 && i <= 20 ? { ...a, at: 35 } : a));
  const jb = buffer();
  const { played } = run(jb, arrivals.filter((a) => a.at <= 35), 40);
  assert.ok(jb.bufferedMs <= TARGET + 10, `buffered ${jb.bufferedMs} ms`);
  // It plays on from the newest audio, sample for sample.
  const at = src.indexOf(played[0]!);
  assert.deepEqual(played, src.subarray(at, at + played.length));
});

test('a receiver that stalls in the pre-roll keeps the whole delay when its sink catches up', () => {
  // Packet 0 at 0 ms, then the receiver stalls for 100 ms (as forking the audio
  // worker does at the first packet): its paced sink catches up with pulls for
  // 10…100 ms, all made at 100 ms, and the packets that came meanwhile are read
  // after the first of them. Pulls for moments before the pre-roll's end are
  // still the pre-roll's; judged by the time they were made, they would play
  // the delay away (10 ms left of 40) and the first late packet would be a gap.
  const src = ramp(50 * FRAME);
  const arrivals = packetize(src, [FRAME]);
  const jb = buffer();
  jb.push(arrivals[0]!.ts, arrivals[0]!.pcm, 0);
  assert.equal(jb.pull(FRAME, 0).playing, false);
  const played: number[] = [];
  for (let at = 10; at <= 100; at += 10) {
    const r = jb.pull(FRAME, 100, 100 - at);
    if (r.playing) played.push(...r.pcm);
    if (at === 10) for (const a of arrivals.slice(1, 11)) jb.push(a.ts, a.pcm, 100);
  }
  assert.equal(jb.bufferedMs, TARGET, 'the delay after the catch-up');
  // On in real time, one packet 30 ms late: inside the delay, so it plays.
  const rest = arrivals.slice(11).map((a, i) => (i === 5 ? { ...a, at: a.at + 30 } : a));
  played.push(...run(jb, rest, 530, FRAME, 110).played); // to the last packet's playout
  assert.deepEqual(Int16Array.from(played).subarray(0, src.length), src);
  assert.deepEqual(jb.stats(), { late: 0, concealedMs: 0, underruns: 0, overflows: 0, duplicates: 0, skippedMs: 0 });
});

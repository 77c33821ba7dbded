// The replay ring keeps the newest 30 s, and a save writes exactly what it holds as a WAV (read back from the real file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ReplayRing } from '../../../src/audio/record/replay-ring.js';
import { replayName, saveReplay } from '../../../src/audio/record/replay-writer.js';
import { WavReader } from '../../../src/audio/wav/wav-reader.js';
import { tmpDir } from '../../helpers/cli.js';
import type { AudioFormat } from '../../../src/shared/audio-format.js';

const mono8k: AudioFormat = { rate: 8000, channels: 1 };
const ramp = (from: number, n: number): Int16Array => Int16Array.from({ length: n }, (_, i) => ((from + i) % 65536) - 32768);

test('the ring holds what was written, oldest first, until it is full', () => {
  const r = new ReplayRing(mono8k, 1);
  r.write(ramp(0, 3000));
  r.write(ramp(3000, 2000));
  assert.equal(r.durationS, 5000 / 8000);
  assert.deepEqual(r.snapshot(), ramp(0, 5000));
});

test('it wraps: past its length it keeps the newest, in order, whatever the block sizes', () => {
  const r = new ReplayRing(mono8k, 1);
  let at = 0;
  for (const n of [3000, 2500, 1999, 4000, 333, 7000]) {
    r.write(ramp(at, n));
    at += n;
  }
  assert.equal(r.durationS, 1);
  assert.deepEqual(r.snapshot(), ramp(at - 8000, 8000));
});

test('a block longer than the ring keeps its newest ring-full', () => {
  const r = new ReplayRing(mono8k, 1);
  r.write(ramp(0, 100));
  r.write(ramp(100, 20000));
  assert.deepEqual(r.snapshot(), ramp(20100 - 8000, 8000));
});

test('the default ring is 30 s of the stream format: 60 s in, 30 s held', () => {
  const stereo: AudioFormat = { rate: 48000, channels: 2 };
  const r = new ReplayRing(stereo);
  const tenth = new Int16Array(4800 * 2);
  for (let i = 0; i < 600; i++) r.write(tenth);
  assert.equal(r.durationS, 30);
  assert.equal(r.snapshot().length, 30 * 48000 * 2);
});

test('a new format empties it; the same format keeps what it holds', () => {
  const r = new ReplayRing(mono8k, 1);
  r.write(ramp(0, 800));
  r.setFormat({ rate: 8000, channels: 1 });
  assert.equal(r.durationS, 0.1);
  r.setFormat({ rate: 16000, channels: 2 });
  assert.equal(r.durationS, 0);
});

test('a save of 10 s of audio writes a WAV of exactly 10 s, sample for sample, named replay_YYYYMMDD_HHMMSS.wav', async () => {
  const dir = join(tmpDir(), 'Recording');
  const fmt: AudioFormat = { rate: 44100, channels: 2 };
  const r = new ReplayRing(fmt);
  const pcm = ramp(12345, 10 * 44100 * 2);
  for (let i = 0; i < pcm.length; i += 441 * 2) r.write(pcm.subarray(i, i + 441 * 2));
  const when = new Date(2026, 0, 2, 3, 4, 5);
  const saved = await saveReplay(r, dir, when);
  assert.equal(saved.path, join(dir, 'replay_20260102_030405.wav'));
  assert.equal(saved.durationS, 10);
  assert.equal(saved.bytes, 44 + pcm.length * 2);
  assert.equal(statSync(saved.path).size, saved.bytes);
  const wav = WavReader.open(saved.path);
  assert.deepEqual(wav.format, fmt);
  assert.equal(wav.totalFrames, 10 * 44100);
  const back = wav.read(wav.totalFrames);
  wav.close();
  assert.deepEqual(back, pcm);
  // The ring keeps playing on: a second save a moment later is a new file, never the first overwritten.
  const again = await saveReplay(r, dir, when);
  assert.equal(again.path, join(dir, 'replay_20260102_030405_1.wav'));
  assert.deepEqual(readdirSync(dir).sort(), ['replay_20260102_030405.wav', 'replay_20260102_030405_1.wav']);
});

test('replay names follow the recording names', () => {
  assert.equal(replayName(new Date(2026, 11, 31, 23, 59, 58)), 'replay_20261231_235958.wav');
});

test('nothing played yet, or a folder it cannot write: a one-line error, no file', async () => {
  const r = new ReplayRing(mono8k);
  await assert.rejects(saveReplay(r, tmpDir()), /^Error: replay: nothing has played yet$/);
  r.write(ramp(0, 800));
  const dir = join(tmpDir(), 'locked');
  mkdirSync(dir);
  chmodSync(dir, 0o500);
  if (process.getuid?.() === 0) return; // root writes anyway
  await assert.rejects(saveReplay(r, dir), (e: Error) => /^replay: cannot write .*locked\/replay_\d{8}_\d{6}\.wav \(permission denied\)$/.test(e.message));
  assert.deepEqual(readdirSync(dir), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wavHeader } from '../../../src/audio/wav/wav.js';
import { WavReader } from '../../../src/audio/wav/wav-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'streamer-'));

function pcmBytes(samples: number[]): Buffer {
  const b = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => b.writeInt16LE(s, i * 2));
  return b;
}

/** 10 stereo frames: left = 100·n, right = −100·n. */
const stereo = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 100 : -100) * (i >> 1) + 0);

function file(name: string, ...parts: Buffer[]): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

test('WavReader reads format and total frames from the header', () => {
  const r = WavReader.open(file('fmt.wav', wavHeader({ rate: 22050, channels: 2 }, 40), pcmBytes(stereo)));
  assert.deepEqual(r.format, { rate: 22050, channels: 2 });
  assert.equal(r.totalFrames, 10);
  r.close();
});

test('WavReader reads blocks in order, a short last block, then null', () => {
  const r = WavReader.open(file('blocks.wav', wavHeader({ rate: 8000, channels: 2 }, 40), pcmBytes(stereo)));
  assert.deepEqual(Array.from(r.read(4)!), stereo.slice(0, 8));
  assert.deepEqual(Array.from(r.read(4)!), stereo.slice(8, 16));
  const last = r.read(4)!;
  assert.equal(last.length, 4);
  assert.deepEqual(Array.from(last), stereo.slice(16, 20));
  assert.equal(r.read(4), null);
  r.close();
});

test('WavReader rewind starts over from the first frame', () => {
  const r = WavReader.open(file('rewind.wav', wavHeader({ rate: 8000, channels: 2 }, 40), pcmBytes(stereo)));
  while (r.read(3)) {
    /* drain */
  }
  r.rewind();
  assert.deepEqual(Array.from(r.read(2)!), stereo.slice(0, 4));
  r.close();
});

test('WavReader takes the length from the file when the header says 0 (crashed writer)', () => {
  const r = WavReader.open(file('zero.wav', wavHeader({ rate: 8000, channels: 2 }, 0), pcmBytes(stereo)));
  assert.equal(r.totalFrames, 10);
  r.close();
});

test('WavReader clamps a data size past the end of the file, dropping a torn frame', () => {
  const torn = pcmBytes(stereo).subarray(0, 38); // 9.5 frames on disk
  const r = WavReader.open(file('past.wav', wavHeader({ rate: 8000, channels: 2 }, 4000), torn));
  assert.equal(r.totalFrames, 9);
  r.close();
});

test('WavReader stops at the data chunk and ignores a chunk after it', () => {
  const list = Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.from([4, 0, 0, 0]), Buffer.from('INFO')]);
  const r = WavReader.open(file('trailer.wav', wavHeader({ rate: 8000, channels: 1 }, 4), pcmBytes([1, 2]), list));
  assert.deepEqual(Array.from(r.read(10)!), [1, 2]);
  assert.equal(r.read(10), null);
  r.close();
});

test('WavReader.open on a missing file throws one line naming the file', () => {
  const path = join(dir, 'missing.wav');
  assert.throws(() => WavReader.open(path), { message: `cannot read WAV file ${path}: no such file or directory` });
});

test('WavReader.open on a 24-bit file says why it cannot play it', () => {
  const h = wavHeader({ rate: 48000, channels: 1 }, 6);
  h.writeUInt16LE(24, 34);
  const path = file('24bit.wav', h, Buffer.alloc(6));
  assert.throws(() => WavReader.open(path), {
    message: `cannot read WAV file ${path}: WAV is 24-bit; streamer needs 16-bit PCM`,
  });
});

test('WavReader.open on an empty file says it is not a WAV file', () => {
  const path = file('empty.wav');
  assert.throws(() => WavReader.open(path), { message: `cannot read WAV file ${path}: not a WAV file (too short)` });
});

test('WavReader.read after close returns null and close is idempotent', () => {
  const r = WavReader.open(file('closed.wav', wavHeader({ rate: 8000, channels: 2 }, 40), pcmBytes(stereo)));
  r.close();
  r.close();
  assert.equal(r.read(1), null);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Recorder } from '../../../src/audio/record/recorder.js';
import { WavReader } from '../../../src/audio/wav/wav-reader.js';

const root = mkdtempSync(join(tmpdir(), 'streamer-'));
const mono8k = { rate: 8000, channels: 1 } as const;
const at = (): Date => new Date(2024, 4, 6, 7, 8, 9);
let n = 0;
const freshDir = (): string => join(root, `rec${n++}`);

function block(from: number, frames: number, channels = 1): Int16Array {
  return Int16Array.from({ length: frames * channels }, (_, i) => (from * channels + i) % 32000);
}

test('Recorder.start creates the directory and records under the default name', async () => {
  const dir = freshDir();
  const rec = new Recorder({ format: mono8k, dir, now: at });
  const path = await rec.start();
  assert.equal(path, join(dir, 'recording_20240506_070809.wav'));
  rec.write(block(0, 80));
  const result = await rec.stop();
  assert.deepEqual(result, { path, durationS: 0.01, bytes: 44 + 160 });
});

test('Recorder.start with an explicit path records there', async () => {
  const path = join(root, 'explicit.wav');
  const rec = new Recorder({ format: mono8k, dir: freshDir() });
  assert.equal(await rec.start({ path }), path);
  await rec.stop();
  assert.ok(existsSync(path));
});

test('Recorder timed recording stops itself after exactly durationS of audio, splitting the last block', async () => {
  const rec = new Recorder({ format: { rate: 8000, channels: 2 }, dir: freshDir(), now: at });
  const path = await rec.start({ durationS: 0.25 }); // 2000 frames; 30-frame blocks do not divide it
  const stopped = once(rec, 'stopped');
  for (let i = 0; i < 100; i++) rec.write(block(i * 30, 30, 2));
  const [result] = await stopped;
  assert.deepEqual(result, { path, durationS: 0.25, bytes: 44 + 2000 * 4 });
  const r = WavReader.open(path);
  assert.equal(r.totalFrames, 2000);
  assert.deepEqual(r.read(2000), block(0, 2000, 2));
  r.close();
  assert.equal(rec.state().recording, false);
});

test('Recorder.state reports path, elapsed audio, bytes and the timed length', async () => {
  const rec = new Recorder({ format: mono8k, dir: freshDir(), now: at });
  const path = await rec.start({ durationS: 10 });
  rec.write(block(0, 4000));
  assert.deepEqual(rec.state(), { recording: true, path, elapsedS: 0.5, bytes: 44 + 8000, untilS: 10 });
  await rec.stop();
  assert.deepEqual(rec.state(), { recording: false, path: null, elapsedS: 0, bytes: 0, untilS: null });
});

test('Recorder.start while recording is a no-op returning the current path', async () => {
  const dir = freshDir();
  const rec = new Recorder({ format: mono8k, dir, now: at });
  const [a, b] = await Promise.all([rec.start(), rec.start()]);
  const c = await rec.start();
  assert.equal(a, b);
  assert.equal(a, c);
  await rec.stop();
  assert.deepEqual(readdirSync(dir), ['recording_20240506_070809.wav']);
});

test('Recorder.stop is idempotent and returns null when nothing records', async () => {
  const rec = new Recorder({ format: mono8k, dir: freshDir(), now: at });
  assert.equal(await rec.stop(), null);
  await rec.start();
  const [first, again] = await Promise.all([rec.stop(), rec.stop()]);
  assert.deepEqual(again, first);
  assert.equal(await rec.stop(), null);
});

test('Recorder.write when not recording writes nothing and creates nothing', () => {
  const dir = freshDir();
  const rec = new Recorder({ format: mono8k, dir, now: at });
  rec.write(block(0, 80));
  assert.equal(existsSync(dir), false);
});

test('Recorder never overwrites: a second recording in the same second gets _1', async () => {
  const dir = freshDir();
  const rec = new Recorder({ format: mono8k, dir, now: at });
  await rec.start();
  await rec.stop();
  assert.equal(await rec.start(), join(dir, 'recording_20240506_070809_1.wav'));
  await rec.stop();
});

test('Two recorders starting together in one directory get different files', async () => {
  const dir = freshDir();
  const a = new Recorder({ format: mono8k, dir, now: at });
  const b = new Recorder({ format: mono8k, dir, now: at });
  const paths = await Promise.all([a.start(), b.start()]);
  assert.notEqual(paths[0], paths[1]);
  await Promise.all([a.stop(), b.stop()]);
  assert.equal(readdirSync(dir).length, 2);
});

test('Recorder into an unwritable directory rejects with a clear line and stays idle', async () => {
  let dir: string;
  let reason: string;
  if (process.getuid?.() === 0) {
    // root ignores chmod; a directory below a regular file is unwritable for everyone
    writeFileSync(join(root, 'afile'), 'x');
    dir = join(root, 'afile', 'sub');
    reason = `cannot create recording directory ${dir}: a parent of the path is not a directory`;
  } else {
    dir = freshDir();
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    reason = `cannot create ${join(dir, 'recording_20240506_070809.wav')}: permission denied`;
  }
  const rec = new Recorder({ format: mono8k, dir, now: at });
  await assert.rejects(rec.start(), { message: reason });
  assert.equal(rec.state().recording, false);
  rec.write(block(0, 80)); // the audio path goes on
});

test('Recorder on a disk error emits a clear error, goes idle, and write() keeps working', async () => {
  const rec = new Recorder({ format: mono8k, dir: freshDir() });
  await rec.start({ path: '/dev/full' });
  const error = once(rec, 'error');
  rec.write(block(0, 80));
  const [err] = (await error) as [Error];
  assert.equal(err.message, 'recording stopped: cannot write /dev/full: no space left on device');
  assert.equal(rec.state().recording, false);
  assert.doesNotThrow(() => rec.write(block(80, 80)));
  assert.equal(await rec.stop(), null);
});

test('Recorder.start rejects a duration that is not a positive number of seconds', async () => {
  const rec = new Recorder({ format: mono8k, dir: freshDir() });
  await assert.rejects(rec.start({ durationS: 0 }), /recording duration must be a positive number of seconds/);
  assert.equal(rec.state().recording, false);
});

test('Recorder.setFormat applies while idle', async () => {
  const rec = new Recorder({ format: mono8k, dir: freshDir(), now: at });
  rec.setFormat({ rate: 48000, channels: 2 });
  const path = await rec.start();
  rec.write(block(0, 480, 2));
  await rec.stop();
  const r = WavReader.open(path);
  assert.deepEqual([r.format, r.totalFrames], [{ rate: 48000, channels: 2 }, 480]);
  r.close();
});

test('Recorder started before the stream is known takes the stream\'s format when it arrives (r before the first packet)', async () => {
  const rec = new Recorder({ format: mono8k, dir: freshDir(), now: at });
  const path = await rec.start();
  rec.setFormat({ rate: 44100, channels: 2 }); // PT 10: its own format, not the flags'
  rec.write(block(0, 441, 2));
  assert.deepEqual(rec.state(), { recording: true, path, elapsedS: 0.01, bytes: 44 + 441 * 4, untilS: null });
  await rec.stop();
  const r = WavReader.open(path);
  assert.deepEqual([r.format, r.totalFrames], [{ rate: 44100, channels: 2 }, 441]);
  assert.deepEqual(r.read(441), block(0, 441, 2));
  r.close();
});

test('Recorder whose file is still opening when the stream is known records at the stream\'s format', async () => {
  const rec = new Recorder({ format: mono8k, dir: freshDir(), now: at });
  const starting = rec.start({ durationS: 0.01 });
  rec.setFormat({ rate: 44100, channels: 2 });
  const path = await starting;
  const stopped = once(rec, 'stopped');
  rec.write(block(0, 882, 2)); // 20 ms: the timed 10 ms counts at 44.1 kHz, not at 8 kHz
  await stopped;
  const r = WavReader.open(path);
  assert.deepEqual([r.format, r.totalFrames], [{ rate: 44100, channels: 2 }, 441]);
  r.close();
});

test('Recorder holding audio stops and keeps its file when the stream changes format: a file has one format', async () => {
  const rec = new Recorder({ format: mono8k, dir: freshDir(), now: at });
  const errors: Error[] = [];
  rec.on('error', (e) => errors.push(e));
  const path = await rec.start();
  rec.write(block(0, 80));
  const stopped = new Promise((resolve) => rec.once('stopped', resolve)); // events.once would reject on the 'error'
  rec.setFormat({ rate: 44100, channels: 2 });
  rec.write(block(0, 441, 2)); // the new stream's audio: not into the mono file
  const result = await stopped;
  assert.deepEqual(result, { path, durationS: 0.01, bytes: 44 + 160 });
  assert.equal(rec.state().recording, false);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /^recording stopped: the stream changed to L16 44100 Hz stereo; .*recording_20240506_070809\.wav keeps the L16 8000 Hz mono audio before it/);
  const r = WavReader.open(path);
  assert.deepEqual([r.format, r.totalFrames], [mono8k, 80]);
  assert.deepEqual(r.read(80), block(0, 80));
  r.close();
});

test('Recorder emits started, state and stopped around a recording', async () => {
  const rec = new Recorder({ format: mono8k, dir: freshDir(), now: at });
  const seen: string[] = [];
  rec.on('started', () => seen.push('started'));
  rec.on('state', (s) => seen.push(`state:${s.recording}`));
  rec.on('stopped', () => seen.push('stopped'));
  await rec.start();
  await rec.stop();
  assert.deepEqual(seen, ['started', 'state:true', 'stopped', 'state:false']);
});

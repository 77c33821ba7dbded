import { mock, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseWavHeader, wavHeader } from '../../../src/audio/wav/wav.js';
import { WavWriter } from '../../../src/audio/wav/wav-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'streamer-'));
const mono8k = { rate: 8000, channels: 1 } as const;

function ramp(from: number, n: number): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => ((from + i) * 37) % 30000 - 15000);
}

function samplesOf(file: Buffer, offset: number, bytes: number): Int16Array {
  const copy = Buffer.from(file.subarray(offset, offset + bytes));
  return new Int16Array(copy.buffer, copy.byteOffset, bytes / 2);
}

test('WavWriter writes N frames: header sizes exact, samples bit-exact', async () => {
  const path = join(dir, 'exact.wav');
  const w = await WavWriter.open(path, { rate: 44100, channels: 2 });
  const a = ramp(0, 882);
  const b = ramp(882, 500);
  w.write(a);
  w.write(b);
  const result = await w.close();
  const file = readFileSync(path);
  assert.equal(file.length, 44 + 1382 * 2);
  assert.deepEqual(file.subarray(0, 44), wavHeader({ rate: 44100, channels: 2 }, 1382 * 2));
  assert.deepEqual(samplesOf(file, 44, 1382 * 2), Int16Array.from([...a, ...b]));
  assert.deepEqual(result, { path, durationS: 691 / 44100, bytes: file.length });
});

test('WavWriter keeps samples bit-exact across many blocks that straddle its internal chunks', async () => {
  const path = join(dir, 'long.wav');
  const w = await WavWriter.open(path, { rate: 8000, channels: 2 });
  const blocks: Int16Array[] = [];
  for (let i = 0; i < 100; i++) {
    const b = ramp(i * 666, 666); // 333 stereo frames, 1332 bytes: never a divisor of a chunk
    blocks.push(b);
    w.write(b);
    if (i % 10 === 0) await sleep(1); // let some writes land mid-stream
  }
  await w.close();
  const file = readFileSync(path);
  assert.equal(file.length, 44 + 100 * 1332);
  assert.deepEqual(samplesOf(file, 44, 100 * 1332), Int16Array.from(blocks.flatMap((b) => Array.from(b))));
});

test('WavWriter copies each block: the caller may reuse its array at once', async () => {
  const path = join(dir, 'reuse.wav');
  const w = await WavWriter.open(path, mono8k);
  const frame = new Int16Array([1, 2, 3]);
  w.write(frame);
  frame.set([4, 5, 6]);
  w.write(frame);
  frame.fill(0);
  await w.close();
  assert.deepEqual(Array.from(samplesOf(readFileSync(path), 44, 12)), [1, 2, 3, 4, 5, 6]);
});

test('WavWriter.close is idempotent and later writes are ignored', async () => {
  const path = join(dir, 'twice.wav');
  const w = await WavWriter.open(path, mono8k);
  w.write(ramp(0, 80));
  const first = await w.close();
  w.write(ramp(0, 80));
  const second = await w.close();
  assert.deepEqual(second, first);
  assert.equal(statSync(path).size, 44 + 160);
  assert.equal(w.framesWritten, 80);
});

test('WavWriter with no audio leaves a valid empty WAV', async () => {
  const path = join(dir, 'empty.wav');
  const w = await WavWriter.open(path, mono8k);
  assert.deepEqual(await w.close(), { path, durationS: 0, bytes: 44 });
  assert.deepEqual(readFileSync(path), wavHeader(mono8k, 0));
});

/**
 * Polls `ready` between turns of the event loop (the writes are real file I/O), failing after `tries`
 * (about 10 s: a CI box busy with device tests once took over 1 s to land a write).
 */
async function until(ready: () => boolean, what: string, tries = 5000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (ready()) return;
    await sleep(2);
  }
  assert.fail(`gave up waiting for ${what}`);
}

const headerBytes = (path: string): number => {
  const info = parseWavHeader(readFileSync(path));
  return 'error' in info ? -1 : info.dataBytes;
};

test('WavWriter rewrites the header on its timer while recording, before close', async () => {
  const path = join(dir, 'live.wav');
  mock.timers.enable({ apis: ['setInterval'] }); // the writer's sync timer: the test moves it
  try {
    const w = await WavWriter.open(path, mono8k, { syncIntervalMs: 20 });
    w.write(ramp(0, 400)); // 50 ms: far below the by-amount threshold, so only the timer can do it
    await until(() => statSync(path).size === 44 + 800, 'the audio to reach the file');
    assert.equal(headerBytes(path), 0, 'no rewrite before the timer fires');
    mock.timers.tick(20);
    await until(() => headerBytes(path) === 800, 'the header to cover the audio');
    await w.close();
  } finally {
    mock.timers.reset();
  }
});

test('WavWriter.open into a missing directory rejects clearly and creates nothing', async () => {
  const missing = join(dir, 'no-such-dir');
  const path = join(missing, 'a.wav');
  await assert.rejects(WavWriter.open(path, mono8k), {
    message: `cannot create ${path}: directory ${missing} does not exist`,
  });
  assert.equal(existsSync(missing), false);
});

test('WavWriter.open under a regular file rejects with "not a directory"', async () => {
  const file = join(dir, 'plain-file');
  writeFileSync(file, 'x');
  const path = join(file, 'a.wav');
  await assert.rejects(WavWriter.open(path, mono8k), {
    message: `cannot create ${path}: a parent of the path is not a directory`,
  });
});

test('WavWriter.open exclusive refuses an existing file and leaves it alone', async () => {
  const path = join(dir, 'taken.wav');
  writeFileSync(path, 'keep me');
  await assert.rejects(WavWriter.open(path, mono8k, { exclusive: true }), {
    message: `cannot create ${path}: file already exists`,
  });
  assert.equal(readFileSync(path, 'utf8'), 'keep me');
});

test('WavWriter.open rejects a format WAV recording does not support', async () => {
  await assert.rejects(WavWriter.open(join(dir, 'bad.wav'), { rate: 4000, channels: 1 }), /unsupported format 4000 Hz/);
  assert.equal(existsSync(join(dir, 'bad.wav')), false);
});

test('WavWriter on a full disk emits one clear error and never throws from write()', async () => {
  const w = await WavWriter.open('/dev/full', mono8k);
  const errors: Error[] = [];
  w.on('error', (e) => errors.push(e));
  w.write(ramp(0, 80));
  const [err] = (await once(w, 'error')) as [Error];
  assert.equal(err.message, 'recording stopped: cannot write /dev/full: no space left on device');
  w.write(ramp(0, 80)); // after the error: quietly ignored
  await w.close();
  assert.equal(errors.length, 1);
  assert.equal(w.error, err);
});

test('WavWriter bounds its queue: a disk that cannot keep up is an error, not growing memory', async () => {
  const path = join(dir, 'slow.wav');
  const w = await WavWriter.open(path, mono8k, { maxQueuedS: 0.1 }); // 1600 bytes
  const errors: Error[] = [];
  w.on('error', (e) => errors.push(e));
  for (let i = 0; i < 50; i++) w.write(ramp(i * 200, 200)); // 20 KB at once, no chance to drain
  assert.ok(w.bytes <= 44 + 1600, `accepted ${w.bytes} bytes`);
  const result = await w.close();
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /^recording stopped: cannot write .*slow\.wav: the disk is not keeping up/);
  // What did reach the disk is a valid file whose header matches it.
  const file = readFileSync(path);
  const info = parseWavHeader(file);
  assert.ok(!('error' in info));
  assert.equal(info.dataOffset + info.dataBytes, file.length);
  assert.equal(result.bytes, file.length);
});

test('WavWriter survives SIGKILL: the header is valid and covers all but the last second', async () => {
  const path = join(dir, 'killed.wav');
  const rate = 44100;
  const tone = (n: number): number => Math.round(12000 * Math.sin((2 * Math.PI * 440 * n) / rate));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `
      const { WavWriter } = await import(process.env.WAV_WRITER);
      const rate = ${rate};
      const tone = ${tone.toString()};
      const { statSync } = await import('node:fs');
      const w = await WavWriter.open(process.env.WAV_OUT, { rate, channels: 1 });
      // 2.5 s of audio in 10 ms blocks, each on disk before the next, as a live
      // recording lands: no clock, so the test does not depend on timing.
      const block = rate / 100;
      for (let frames = 0; frames < 2.5 * rate; frames += block) {
        const pcm = new Int16Array(block);
        for (let i = 0; i < block; i++) pcm[i] = tone(frames + i);
        w.write(pcm);
        for (let tries = 0; statSync(process.env.WAV_OUT).size < 44 + 2 * (frames + block); tries++) {
          if (tries > 5000) throw new Error('the writer never caught up');
          await new Promise((r) => setTimeout(r, 1));
        }
      }
      process.stdout.write('recording\\n');
      setInterval(() => undefined, 1000); // still "recording" when the kill comes
      `,
    ],
    {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, WAV_OUT: path, WAV_WRITER: new URL('../../../src/audio/wav/wav-writer.ts', import.meta.url).href },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = once(child, 'exit');
  let bound: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      once(child.stdout, 'data'),
      exited.then(([code]) => assert.fail(`recording child exited early (${code})`)),
      new Promise((_, reject) => (bound = setTimeout(() => reject(new Error('the child never reported 2.5 s recorded')), 60_000))),
    ]);
  } finally {
    clearTimeout(bound);
    child.kill('SIGKILL');
  }
  assert.deepEqual(await exited, [null, 'SIGKILL']);

  const file = readFileSync(path);
  const info = parseWavHeader(file);
  assert.ok(!('error' in info), JSON.stringify(info));
  assert.deepEqual(info.format, { rate, channels: 1 });
  assert.ok(info.dataBytes >= 1.5 * rate * 2, `header covers only ${info.dataBytes / 2 / rate} s`);
  assert.ok(info.dataOffset + info.dataBytes <= file.length, 'header claims more than the file holds');
  const samples = samplesOf(file, info.dataOffset, info.dataBytes);
  assert.deepEqual(samples, Int16Array.from({ length: samples.length }, (_, n) => tone(n)));
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('killed')), ['killed.wav']);
});

/**
 * Watches the writer at the fs boundary: how much data each header claims,
 * against how much data an fdatasync had made durable when that header was
 * written. The writer's calls are write(fd, buf, 0, len, pos, cb),
 * writev(fd, bufs, pos, cb) and fdatasync(fd, cb).
 */
function watchDurability(t: TestContext): { claims: { claimed: number; durable: number }[] } {
  const claims: { claimed: number; durable: number }[] = [];
  let written = 0; // data bytes the OS has
  let durable = 0; // data bytes an fdatasync has completed for
  type Cb = (err: NodeJS.ErrnoException | null, n?: number) => void;
  const real = { write: fs.write, writev: fs.writev, fdatasync: fs.fdatasync };
  const landed = (pos: number, cb: Cb): Cb => (err, n) => {
    if (!err && n) written = Math.max(written, pos + n - 44);
    cb(err, n);
  };
  const mocks = [
    t.mock.method(fs, 'write', (fd: number, buf: Buffer, off: number, len: number, pos: number, cb: Cb) => {
      if (pos === 0 && len === 44) {
        const info = parseWavHeader(buf);
        if (!('error' in info)) claims.push({ claimed: info.dataBytes, durable });
        return real.write(fd, buf, off, len, pos, cb);
      }
      return real.write(fd, buf, off, len, pos, landed(pos, cb));
    }),
    t.mock.method(fs, 'writev', (fd: number, bufs: Buffer[], pos: number, cb: Cb) => real.writev(fd, bufs, pos, landed(pos, cb))),
    t.mock.method(fs, 'fdatasync', (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      const covered = written; // what was written before the call is what it makes durable
      real.fdatasync(fd, (err) => {
        if (!err) durable = Math.max(durable, covered);
        cb(err);
      });
    }),
  ];
  syncBuiltinESMExports(); // the writer's named imports see the watchers
  t.after(() => {
    for (const m of mocks) m.mock.restore();
    syncBuiltinESMExports();
  });
  return { claims };
}

test('WavWriter makes the data durable before a header that describes it: power loss never leaves a header past the audio', async (t) => {
  const { claims } = watchDurability(t);
  const path = join(dir, 'durable.wav');
  const w = await WavWriter.open(path, mono8k, { syncIntervalMs: 5 });
  w.write(ramp(0, 20_000)); // 2.5 s at once: the by-amount rewrite, besides the timer's
  while (!claims.some((c) => c.claimed > 0)) await sleep(5);
  w.write(ramp(20_000, 400));
  await w.close();
  assert.ok(claims.some((c) => c.claimed === 40_800), `the final header: ${JSON.stringify(claims)}`);
  for (const c of claims) assert.ok(c.claimed <= c.durable, `a header claimed ${c.claimed} bytes when ${c.durable} were durable`);
});

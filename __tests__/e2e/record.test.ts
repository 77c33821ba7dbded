// Recording through the real CLI (SPEC §5): timed, crash-safe, and harmless when it fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WavReader } from '../../src/audio/wav/wav-reader.js';
import { finalStats, freePort, requireTool, sleep, streamer, tmpDir } from '../helpers/cli.js';
import { zeroCrossingHz } from '../helpers/signal.js';

function readWav(path: string) {
  const r = WavReader.open(path);
  const pcm = r.read(r.totalFrames) ?? new Int16Array(0);
  const out = { format: r.format, frames: r.totalFrames, pcm };
  r.close();
  return out;
}

test('send --duration 3 --record leaves Recording/recording_*.wav of 3 s at 440 Hz', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone:440', '--duration', '3', '--record', '--log-file', 'log'], { cwd: dir });
  const exit = await tx.exited;
  assert.equal(exit.code, 0, tx.stderr());
  const files = readdirSync(join(dir, 'Recording'));
  assert.equal(files.length, 1);
  assert.match(files[0]!, /^recording_\d{8}_\d{6}\.wav$/);
  const wav = readWav(join(dir, 'Recording', files[0]!));
  assert.deepEqual(wav.format, { rate: 44100, channels: 1 });
  assert.ok(Math.abs(wav.frames - 3 * 44100) <= 441, `${wav.frames} frames is 3 s ± one frame`);
  assert.ok(Math.abs(zeroCrossingHz(wav.pcm, 44100) - 440) < 2);
  assert.match(tx.stderr(), /recording saved: .*recording_\d{8}_\d{6}\.wav \(3\.0 s, [\d.]+ KiB\)/);
});

test('a receiver recording killed with SIGKILL after 4 s still plays its first 3 s', async (t) => {
  const dir = tmpDir();
  const port = await freePort();
  const rx = streamer(['receive', '--headless', '--port', String(port), '--sink', 'null', '--record', join(dir, 'rx.wav'), '--log-file', 'log'], { cwd: dir });
  await rx.waitFor('listening on');
  const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone:440', '--duration', '8', '--log-file', 'txlog'], { cwd: dir });
  await rx.waitFor('recording started');
  // 4 s of audio reach the recording after 4 s plus the playout delay (40 ms, and its pre-roll is kept whole);
  // the header is valid at least once a second, so the first 3 s survive the kill.
  await sleep(4000 + 200);
  rx.child.kill('SIGKILL');
  await rx.exited;
  await tx.stop();
  const wav = readWav(join(dir, 'rx.wav'));
  assert.ok(wav.frames >= 3 * 44100, `${(wav.frames / 44100).toFixed(2)} s survived`);
  assert.ok(Math.abs(zeroCrossingHz(wav.pcm.subarray(0, 3 * 44100), 44100) - 440) < 3);
  if (requireTool(t, 'ffprobe')) {
    const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', join(dir, 'rx.wav')], { encoding: 'utf8' });
    assert.equal(probe.status, 0, probe.stderr);
    assert.ok(Number(probe.stdout) >= 3, `ffprobe says ${probe.stdout}`);
  }
  const py = spawnSync('python3', ['-c', `import wave,sys; w=wave.open(sys.argv[1]); print(w.getnframes()/w.getframerate())`, join(dir, 'rx.wav')], { encoding: 'utf8' });
  if (py.status === 0) assert.ok(Number(py.stdout) >= 3, `python wave says ${py.stdout}`);
});

test('a receiver with --record --duration records exactly that long, then ends', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const rx = streamer(['receive', '--headless', '--port', String(port), '--sink', 'null', '--record', join(dir, 'two.wav'), '--duration', '2', '--log-file', 'log'], { cwd: dir });
  await rx.waitFor('listening on');
  const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone', '--duration', '10', '--log-file', 'txlog'], { cwd: dir });
  const exit = await rx.exited;
  await tx.stop();
  assert.equal(exit.code, 0, rx.stderr());
  assert.equal(readWav(join(dir, 'two.wav')).frames, 2 * 44100);
});

// Issue #20: this used to stream on and exit 0, the recording the user asked for silently missing.
test('--record into a directory that cannot exist: one line and exit 1 at start, nothing sent', async () => {
  const dir = tmpDir();
  writeFileSync(join(dir, 'afile'), 'a file, not a directory');
  const port = await freePort();
  const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone', '--duration', '2', '--record', '--record-dir', join(dir, 'afile', 'sub'), '--log-file', 'txlog'], { cwd: dir });
  const exit = await tx.exited;
  assert.equal(exit.code, 1, tx.stderr());
  assert.match(tx.stderr(), /^streamer: cannot record in --record-dir .*afile\/sub: a parent of the path is not a directory$/m);
  assert.doesNotMatch(tx.stderr(), /sending/);
});

// Audit: --record --duration counted played audio only, so a stream shorter than S hung the receiver for ever.
test('a receiver with --record --duration 3 ends by itself when the stream stops after 2 s, recording saved', { timeout: 30_000 }, async () => {
  const dir = tmpDir();
  const port = await freePort();
  const rx = streamer(['receive', '--headless', '--port', String(port), '--sink', 'null', '--record', '--record-dir', join(dir, 'rec'), '--duration', '3', '--log-file', 'log', '--stats-json', 'rx.jsonl'], { cwd: dir });
  await rx.waitFor('listening on');
  const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone:440', '--duration', '2', '--log-file', 'txlog'], { cwd: dir });
  assert.equal((await tx.exited).code, 0, tx.stderr());
  const exit = await rx.exited;
  assert.equal(exit.code, 0, rx.stderr());
  const files = readdirSync(join(dir, 'rec'));
  assert.equal(files.length, 1);
  const wav = readWav(join(dir, 'rec', files[0]!));
  // All 2 s of tone, then at most the concealment the jitter buffer plays before it goes idle; never the full 3 s.
  // Less only by packets the receiver counted late or lost (CI once saw the last 10 ms packet come late on a
  // loaded box: its concealment was the stream's made-up tail, which a recording leaves out).
  const st = finalStats(join(dir, 'rx.jsonl'));
  const missed = ((st.late ?? 0) + (st.lost ?? 0)) * 441;
  assert.ok(wav.frames >= 2 * 44100 - missed && wav.frames < 3 * 44100, `${(wav.frames / 44100).toFixed(2)} s recorded; late ${st.late}, lost ${st.lost}`);
  assert.ok(Math.abs(zeroCrossingHz(wav.pcm.subarray(0, 2 * 44100), 44100) - 440) < 2);
  const saved = /recording saved: .*\.wav \(([\d.]+) s, /.exec(rx.stderr());
  assert.ok(saved, rx.stderr());
  assert.equal(saved[1], (wav.frames / 44100).toFixed(1), 'the line tells what the file holds');
});

// Failures after a start went well (a disk, a device, a socket): one clear
// line, exit 1, never a stack trace; recordings kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wavHeader } from '../../src/audio/wav/wav.js';
import { WavReader } from '../../src/audio/wav/wav-reader.js';
import { freePort, sleep, streamer, tmpDir } from '../helpers/cli.js';

const FAIL_WAV_READS = fileURLToPath(new URL('../helpers/fail-wav-reads.mjs', import.meta.url));

/** 10 s of a 440 Hz tone at 8 kHz mono. */
function toneWav(path: string): void {
  const rate = 8000;
  const pcm = Int16Array.from({ length: rate * 10 }, (_, n) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * n) / rate)));
  writeFileSync(path, Buffer.concat([wavHeader({ rate, channels: 1 }, pcm.byteLength), Buffer.from(pcm.buffer)]));
}

/** The CLI with reads of its WAV source failing (EIO) after the header and half a second of audio. */
function withFailingWav(args: string[], dir: string) {
  return streamer(args, { cwd: dir, env: { NODE_OPTIONS: `--import ${FAIL_WAV_READS}`, FAIL_WAV_READS_AFTER: '52' } });
}

function assertNoStack(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, `no stack trace:\n${stderr}`);
}

test('send: a WAV source that fails mid-stream ends the run with one line, exit 1', async () => {
  const dir = tmpDir();
  toneWav(join(dir, 'tone.wav'));
  const port = await freePort();
  const tx = withFailingWav(['send', '--headless', '--source', 'file:tone.wav', '--port', String(port), '--log-file', join(dir, 'tx.log')], dir);
  const { code } = await tx.exited;
  assert.equal(code, 1, tx.stderr());
  assert.match(tx.stderr(), /cannot read WAV file tone\.wav: input\/output error/);
  assertNoStack(tx.stderr());
});

test('demo: its sender failing (a WAV source that fails mid-stream) ends the demo with one line, exit 1', async () => {
  const dir = tmpDir();
  toneWav(join(dir, 'tone.wav'));
  const port = await freePort();
  const demo = withFailingWav(['demo', '--headless', '--source', 'file:tone.wav', '--sink', 'null', '--port', String(port), '--log-file', join(dir, 'demo.log')], dir);
  const { code } = await demo.exited;
  assert.equal(code, 1, demo.stderr());
  assert.match(demo.stderr(), /cannot read WAV file tone\.wav: input\/output error/);
  assertNoStack(demo.stderr());
});

/** Resolves with how the process ended, or 'still running' once `ms` have passed. */
function exitWithin<T>(p: Promise<T>, ms: number): Promise<T | 'still running'> {
  return Promise.race([p, sleep(ms).then(() => 'still running' as const)]);
}

test('send: a second Ctrl-C while the shutdown hangs exits at once, the recording saved, with one line', async () => {
  const dir = tmpDir();
  // A --stats-json FIFO nobody reads: closing it never finishes.
  assert.equal(spawnSync('mkfifo', [join(dir, 'stats.fifo')]).status, 0);
  const port = await freePort();
  const tx = streamer(['send', '--headless', '--source', 'tone', '--port', String(port), '--record', 'rec.wav', '--stats-json', 'stats.fifo', '--log-file', 'tx.log'], { cwd: dir });
  await tx.waitFor('recording started');
  await sleep(1000); // a second of audio in the recording
  tx.child.kill('SIGINT');
  await tx.waitFor('recording saved');
  assert.equal(await exitWithin(tx.exited, 500), 'still running', 'the shutdown hangs (the test needs it to)');
  tx.child.kill('SIGINT');
  // Out the way an unhandled Ctrl-C goes (the shell's 130): process.exit would wait for the thread stuck opening the FIFO.
  assert.deepEqual(await exitWithin(tx.exited, 5000), { code: null, signal: 'SIGINT' }, tx.stderr());
  assert.equal(tx.stderr().match(/stopped without waiting for the --stats-json output to close \(asked to stop twice\)/g)?.length, 1, tx.stderr());
  assertNoStack(tx.stderr());
  const wav = WavReader.open(join(dir, 'rec.wav'));
  assert.ok(wav.totalFrames >= 44100 / 2, `${wav.totalFrames} frames recorded`);
  wav.close();
});

test('send: --stats-json onto a full disk (/dev/full) says so once (a warning on stderr and in the log); the stream goes on, exit 0', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const log = join(dir, 'tx.log');
  const tx = streamer(['send', '--headless', '--source', 'tone:440', '--port', String(port), '--stats-json', '/dev/full', '--log-file', log], { cwd: dir });
  await tx.waitFor('stopped writing', 10_000);
  await sleep(2500); // more stats seconds: still one line
  const { code } = await tx.stop('SIGTERM');
  assert.equal(code, 0, tx.stderr());
  // Headless, warnings reach stderr as log lines.
  const lines = tx.stderr().split('\n').filter((l) => l.includes('--stats-json'));
  assert.equal(lines.length, 1, tx.stderr());
  assert.match(lines[0]!, /WARN .*--stats-json \/dev\/full: stopped writing \(no space left on device\); the stream goes on$/);
  assertNoStack(tx.stderr());
  assert.match(readFileSync(log, 'utf8'), /"level":40[^\n]*stopped writing/);
});

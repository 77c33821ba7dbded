// `streamer demo` (what `npm start` runs) on a machine where its port is taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { wavHeader } from '../../src/audio/wav/wav.js';
import { WavReader } from '../../src/audio/wav/wav-reader.js';
import { finalStats, freePort, sleep, streamer, streamerSync, tmpDir } from '../helpers/cli.js';

const DEMO = ['demo', '--source', 'tone', '--sink', 'null', '--headless', '--duration', '2'];
// The demo's own default; no STREAMER_PORT from the shell running the tests.
const DEFAULT_PORT = 12345;
const NO_ENV_PORT = { STREAMER_PORT: undefined };

/** Holds `port` on all addresses, as another program would; undefined when one already does. */
async function hold(protocol: 'udp' | 'tcp', port: number): Promise<(() => void) | undefined> {
  if (protocol === 'udp') {
    const u = dgram.createSocket('udp4');
    return new Promise((resolve) => {
      u.once('error', () => resolve(undefined));
      u.bind(port, '0.0.0.0', () => resolve(() => u.close()));
    });
  }
  const s = net.createServer();
  return new Promise((resolve) => {
    s.once('error', () => resolve(undefined));
    s.listen(port, '0.0.0.0', () => resolve(() => s.close()));
  });
}

function assertOneLineError(stderr: string, pattern: RegExp): void {
  assert.match(stderr, pattern);
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  assert.equal(stderr.split('\n').filter((l) => l.startsWith('streamer:')).length, 1, stderr);
}

for (const protocol of ['udp', 'tcp'] as const) {
  test(`without --port, a demo whose ${DEFAULT_PORT} is taken (${protocol}) streams on a free port and says which`, async () => {
    // Taken either by us or by whoever else has it: both are the case under test.
    const release = await hold(protocol, DEFAULT_PORT);
    try {
      const dir = tmpDir();
      const stats = join(dir, 'stats.jsonl');
      const r = streamer([...DEMO, '--protocol', protocol, '--stats-json', stats, '--log-file', join(dir, 'log')], { cwd: dir, env: NO_ENV_PORT });
      const { code } = await r.exited;
      assert.equal(code, 0, r.stderr());
      const m = /demo: 440 Hz test tone → null sink over loopback on (UDP|TCP) port (\d+) \(12345 is taken\)/.exec(r.stderr());
      assert.ok(m, r.stderr());
      assert.equal(m[1], protocol.toUpperCase());
      assert.notEqual(Number(m[2]), DEFAULT_PORT);
      assert.ok((finalStats(stats).received ?? 0) > 0, 'the tone went through');
    } finally {
      release?.();
    }
  });
}

test('a taken port named with --port or STREAMER_PORT still fails the demo in one line, exit 1', async () => {
  const port = await freePort();
  const release = await hold('udp', port);
  try {
    for (const [args, env] of [
      [['--port', String(port)], NO_ENV_PORT],
      [[], { STREAMER_PORT: String(port) }],
    ] as const) {
      const dir = tmpDir();
      const r = streamerSync([...DEMO, ...args, '--log-file', join(dir, 'log')], { cwd: dir, env });
      assert.equal(r.code, 1, r.stderr);
      assertOneLineError(r.stderr, new RegExp(`streamer: cannot listen on UDP 127\\.0\\.0\\.1:${port}: address already in use`));
    }
  } finally {
    release?.();
  }
});

test('a demo of a WAV file ends by itself once the file has played out: exit 0, every packet played, the end not cut off', async () => {
  const dir = tmpDir();
  const rate = 8000;
  const pcm = Int16Array.from({ length: rate * 2 }, (_, n) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * n) / rate)));
  writeFileSync(join(dir, 'two.wav'), Buffer.concat([wavHeader({ rate, channels: 1 }, pcm.byteLength), Buffer.from(pcm.buffer)]));
  const stats = join(dir, 'stats.jsonl');
  const port = await freePort();
  const r = streamer(['demo', '--headless', '--source', 'file:two.wav', '--sink', `file:${join(dir, 'out.wav')}`, '--port', String(port), '--stats-json', stats, '--log-file', join(dir, 'log')], { cwd: dir });
  // Bounded: a demo that waited for Ctrl-C would be killed here and fail below.
  const ended = await Promise.race([r.exited, sleep(15_000).then(() => null)]);
  if (ended === null) await r.stop('SIGTERM');
  assert.ok(ended !== null, `the demo did not end by itself:\n${r.stderr()}`);
  assert.equal(ended.code, 0, r.stderr());
  assert.match(r.stderr(), /exit: source ended/);
  const final = finalStats(stats);
  assert.equal(final.received, 200, 'all of 2 s in 10 ms packets');
  const wav = WavReader.open(join(dir, 'out.wav'));
  assert.deepEqual(wav.format, { rate, channels: 1 }, 'played at the file\'s own rate');
  const played = wav.read(wav.totalFrames) ?? new Int16Array(0);
  wav.close();
  // The file sink plays from the pre-roll on: the whole file, sample for sample, the end included.
  assert.equal(played.length, pcm.length, `${played.length} frames played of ${pcm.length}`);
  assert.ok(played.every((v, i) => v === pcm[i]), 'bit for bit');
});

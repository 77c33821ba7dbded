// What a new user hit (issue #20): the CLI's answers to bad paths and values,
// a WAV source's format, --duration's exact length, and TCP's first frames.
// An independent UDP listener (not our receiver) counts what was sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WavReader } from '../../src/audio/wav/wav-reader.js';
import { finalStats, freePort, requireTool, sleep, streamer, streamerSync, tmpDir } from '../helpers/cli.js';

/** Every RTP datagram on `port` until `stop` resolves: payload type and payload bytes of each. */
async function listen(port: number, run: () => Promise<unknown>): Promise<{ pt: number; payloadBytes: number }[]> {
  const sock = dgram.createSocket('udp4');
  const got: { pt: number; payloadBytes: number }[] = [];
  sock.on('message', (m) => got.push({ pt: m[1]! & 0x7f, payloadBytes: m.length - 12 - 4 * (m[0]! & 0x0f) }));
  await new Promise<void>((r) => sock.bind(port, '127.0.0.1', () => r()));
  try {
    await run();
    await sleep(300);
  } finally {
    sock.close();
  }
  return got;
}

function wav(path: string, rate: number, channels: number, bits = 16, seconds = 1): void {
  const r = spawnSync('sox', ['-n', '-b', String(bits), '-r', String(rate), '-c', String(channels), path, 'synth', String(seconds), 'sine', '440'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

test('--duration 3 sends exactly 3 s of audio at --rate 12345 and at 2.5 ms frames (the last packet is short, not whole)', async () => {
  for (const [args, rate] of [[['--rate', '12345'], 12345], [['--frame-ms', '2.5'], 44100]] as const) {
    const port = await freePort();
    const got = await listen(port, async () => {
      const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone', '--duration', '3', '--log-file', 'log', ...args]);
      assert.equal((await tx.exited).code, 0, tx.stderr());
    });
    const frames = got.reduce((n, p) => n + p.payloadBytes / 2, 0);
    assert.equal(frames, 3 * rate, `${args.join(' ')}: ${got.length} packets`);
  }
});

test('--sim-jitter: the packets still held back when --duration ends are sent, not dropped', async () => {
  const port = await freePort();
  const got = await listen(port, async () => {
    const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone', '--duration', '1', '--sim-jitter', '40', '--log-file', 'log']);
    assert.equal((await tx.exited).code, 0, tx.stderr());
  });
  assert.equal(got.length, 100);
});

test('TCP: a WAV source loses none of its start to a receiver that was listening', async (t) => {
  if (!requireTool(t, 'sox')) return;
  const dir = tmpDir();
  wav(join(dir, 'in.wav'), 44100, 1);
  const port = await freePort();
  const rx = streamer(['receive', '--headless', '--protocol', 'tcp', '--port', String(port), '--sink', 'null', '--record', join(dir, 'rx.wav'), '--log-file', 'rxlog'], { cwd: dir });
  await rx.waitFor('listening on');
  const tx = streamer(['send', '--headless', '--protocol', 'tcp', '--port', String(port), '--source', 'file:in.wav', '--stats-json', 'tx.jsonl', '--log-file', 'txlog'], { cwd: dir });
  assert.equal((await tx.exited).code, 0, tx.stderr());
  const s = finalStats(join(dir, 'tx.jsonl'));
  assert.equal(s.skippedMs, 0);
  assert.equal(s.sent, 100);
  await rx.stop();
});

test('a WAV source: sent at its own format unless --rate/--channels are given, which convert it', async (t) => {
  if (!requireTool(t, 'sox')) return;
  const dir = tmpDir();
  wav(join(dir, 'in.wav'), 22050, 2);
  let port = await freePort();
  let tx = streamer(['send', '--headless', '--port', String(port), '--source', 'file:in.wav', '--log-file', 'log'], { cwd: dir });
  let got = await listen(port, () => tx.exited);
  assert.equal(got[0]?.pt, 96);
  assert.equal(got.reduce((n, p) => n + p.payloadBytes / 4, 0), 22050, 'stereo frames as in the file');
  assert.match(tx.stderr(), /in\.wav is L16 22050 Hz stereo: sent as it is, so the receiver needs --rate 22050 --channels 2/);

  port = await freePort();
  tx = streamer(['send', '--headless', '--port', String(port), '--source', 'file:in.wav', '--rate', '44100', '--channels', '1', '--log-file', 'log'], { cwd: dir });
  got = await listen(port, () => tx.exited);
  assert.equal(got[0]?.pt, 11, 'PT 11: 44.1 kHz mono, playable by any receiver at its defaults');
  const frames = got.reduce((n, p) => n + p.payloadBytes / 2, 0);
  assert.ok(Math.abs(frames - 44100) <= 441, `${frames} frames: one second, resampled`);
  assert.match(tx.stderr(), /converting it to L16 44100 Hz mono/);
});

test('files that cannot be written fail at start, one line, exit 1: log file, --sink file:, --record, --record-dir', () => {
  const dir = tmpDir();
  writeFileSync(join(dir, 'afile'), 'a file, not a directory');
  const cases: [string[], RegExp][] = [
    [['send', '--source', 'tone', '--log-file', 'nodir/x.log'], /^streamer: cannot write the log file nodir\/x\.log: directory .*nodir does not exist — choose another --log-file$/m],
    [['receive', '--sink', 'file:afile/out.wav', '--log-file', 'log'], /^streamer: cannot write --sink file:afile\/out\.wav: a parent of the path is not a directory$/m],
    [['send', '--source', 'tone', '--record', 'afile/r.wav', '--log-file', 'log'], /^streamer: cannot record to afile\/r\.wav: a parent of the path is not a directory$/m],
    [['send', '--source', 'tone', '--record', '--record-dir', 'afile/sub', '--log-file', 'log'], /^streamer: cannot record in --record-dir afile\/sub: a parent of the path is not a directory$/m],
  ];
  for (const [args, line] of cases) {
    const r = streamerSync([...args, '--headless', '--duration', '1'], { cwd: dir });
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, line);
  }
  assert.equal(existsSync(join(dir, 'nodir')), false, 'the log directory is not made behind the user’s back');
});

test('messages name the flag, once, in words', (t) => {
  if (!requireTool(t, 'sox')) return;
  const dir = tmpDir();
  wav(join(dir, 'deep.wav'), 44100, 1, 24);
  const expect: [string[], number, RegExp][] = [
    [['send', '--log-max-size', 'banana'], 2, /^streamer: --log-max-size: invalid log size "banana"/m],
    [['send', '--bogus-flag'], 2, /^streamer: Unknown argument: bogus-flag$/m],
    [['send', '--key-file', 'missing.key'], 1, /^streamer: --key-file missing\.key: cannot read it \(no such file or directory\)$/m],
    [['send', '--source', 'file:deep.wav'], 1, /^streamer: cannot read WAV file deep\.wav: WAV is 24-bit; streamer needs 16-bit PCM — convert it to 16-bit PCM first/m],
    [['send', '--source', 'tone:30000'], 2, /^streamer: --source tone:30000: a 44100 Hz stream carries tones below 22050 Hz/m],
  ];
  for (const [args, code, line] of expect) {
    const r = streamerSync([...args, '--headless', '--duration', '0.5', '--log-file', 'log'], { cwd: dir });
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, line);
  }
  assert.equal(streamerSync(['send', '--source', 'tone:20000', '--headless', '--duration', '0.2', '--log-file', 'log'], { cwd: dir }).code, 0, 'a tone below Nyquist still plays');
});

test('devices takes --log-level, as the README says, and logs PortAudio at debug', () => {
  const dir = tmpDir();
  const r = streamerSync(['devices', '--log-level', 'debug', '--log-file', 'dev.log'], { cwd: dir, timeoutMs: 30_000 });
  assert.notEqual(r.code, 2, r.stderr);
  assert.ok(existsSync(join(dir, 'dev.log')));
});

// Issue #20 item 3: recordings and file sinks ended with the concealment the buffer played before it went idle.
test('a receiver writes exactly what was sent: no made-up tail at the end, at --rate 12345 and into a --record', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const rx = streamer(['receive', '--headless', '--port', String(port), '--rate', '12345', '--sink', 'file:out.wav', '--record', 'rec.wav', '--log-file', 'rxlog'], { cwd: dir });
  await rx.waitFor('listening on');
  const tx = streamer(['send', '--headless', '--port', String(port), '--rate', '12345', '--source', 'tone', '--duration', '2', '--log-file', 'txlog'], { cwd: dir });
  assert.equal((await tx.exited).code, 0, tx.stderr());
  await sleep(1500); // the buffer plays out and goes idle
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  for (const name of ['out.wav', 'rec.wav']) {
    const r = WavReader.open(join(dir, name));
    assert.equal(r.totalFrames, 2 * 12345, `${name}: ${(r.totalFrames / 12345).toFixed(3)} s`);
    r.close();
  }
});

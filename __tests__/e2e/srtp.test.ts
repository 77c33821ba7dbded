// SRTP end to end: streamer ↔ streamer, a wrong key, and ffmpeg's SRTP both ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToneGenerator } from '../../src/audio/source/tone.js';
import { finalStats, freePort, requireTool, sleep, streamer, streamerSync, tmpDir } from '../helpers/cli.js';
import { freePortPair, listen, tool, waitForListen } from '../helpers/interop.js';
import { firstDifference } from '../helpers/signal.js';

const newKey = (): string => randomBytes(30).toString('base64');
const HINT = 'SRTP authentication failed — is the --key the same on both sides?';

async function stream(opts: { protocol?: 'udp' | 'tcp'; tx: string[]; rx: string[]; seconds?: number }) {
  const dir = tmpDir();
  const port = await freePort();
  const common = ['--headless', '--protocol', opts.protocol ?? 'udp', '--port', String(port), '--log-file', join(dir, 'log')];
  const rx = streamer(['receive', ...common, '--jitter-ms', '200', '--sink', `file:${join(dir, 'out.wav')}`, '--stats-json', join(dir, 'rx.jsonl'), ...opts.rx], { cwd: dir });
  await rx.waitFor('listening on', 30_000);
  const tx = streamer(['send', ...common, '--source', 'tone:440', '--duration', String(opts.seconds ?? 2), '--stats-json', join(dir, 'tx.jsonl'), ...opts.tx], { cwd: dir });
  assert.equal((await tx.exited).code, 0, tx.stderr());
  await sleep(600);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  return { dir, sent: finalStats(join(dir, 'tx.jsonl')), got: finalStats(join(dir, 'rx.jsonl')), stderr: rx.stderr(), out: join(dir, 'out.wav') };
}

function assertBitExact(out: string, sent: Record<string, number>): void {
  const heard = listen(out);
  const skipped = (sent.skippedMs! * 44100) / 1000;
  const expected = new ToneGenerator({ rate: 44100, channels: 1 }, 440).read(skipped + sent.sent! * 441).subarray(skipped);
  assert.equal(heard.pcm.length, expected.length);
  assert.equal(firstDifference(heard.pcm, expected), -1, 'decrypted samples equal the sent ones');
}

for (const protocol of ['udp', 'tcp'] as const) {
  test(`an SRTP stream plays bit for bit with the same key on both sides (${protocol.toUpperCase()})`, async () => {
    const key = newKey();
    const r = await stream({ protocol, tx: ['--key', key], rx: ['--key', key] });
    assert.equal(r.got.received, r.sent.sent);
    assert.equal(r.got.lost, 0);
    assert.equal(r.got.rejected, 0);
    assertBitExact(r.out, r.sent);
  });
}

test('--key-file holds the key on both sides', async () => {
  const dir = tmpDir();
  const file = join(dir, 'key');
  writeFileSync(file, newKey() + '\n');
  const r = await stream({ tx: ['--key-file', file], rx: ['--key-file', file] });
  assert.equal(r.got.received, r.sent.sent);
  assert.equal(r.got.rejected, 0);
});

test('a wrong key: nothing played, every packet rejected, one clear warning', async () => {
  const r = await stream({ tx: ['--key', newKey()], rx: ['--key', newKey()] });
  assert.equal(r.got.received, 0);
  // Every RTP packet, and the sender's SRTCP reports (about one a second, and the BYE) fail too.
  assert.ok(r.got.rejected! > r.sent.sent! && r.got.rejected! <= r.sent.sent! + 2 + r.sent.uptimeS! * 1.5, `rejected ${r.got.rejected} of ${r.sent.sent} RTP packets`);
  assert.equal(r.got.malformed, 0);
  assert.ok(!existsSync(r.out) || listen(r.out).pcm.length === 0, 'no audio reached the sink');
  assert.equal(r.stderr.split(HINT).length - 1, 1, r.stderr);
});

test('a plain RTP sender to a receiver with a key is rejected the same way', async () => {
  const r = await stream({ tx: [], rx: ['--key', newKey()] });
  assert.equal(r.got.received, 0);
  assert.ok(r.got.rejected! > r.sent.sent! && r.got.rejected! <= r.sent.sent! + 2 + r.sent.uptimeS! * 1.5, `rejected ${r.got.rejected} of ${r.sent.sent} RTP packets (+ its plain RTCP)`);
  assert.ok(r.stderr.includes(HINT));
});

test('receive --sdp takes the key from a=crypto', async () => {
  const dir = tmpDir();
  const key = newKey();
  const port = await freePort();
  const sdp = streamerSync(['sdp', '--port', String(port), '--key', key]);
  assert.equal(sdp.code, 0, sdp.stderr);
  assert.match(sdp.stdout, /m=audio \d+ RTP\/SAVP 11/);
  writeFileSync(join(dir, 's.sdp'), sdp.stdout);
  const rx = streamer(['receive', '--headless', '--sdp', join(dir, 's.sdp'), '--jitter-ms', '200', '--sink', 'null', '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'log')], { cwd: dir });
  await rx.waitFor('listening on', 30_000);
  const tx = streamer(['send', '--headless', '--port', String(port), '--key', key, '--source', 'tone', '--duration', '1', '--stats-json', join(dir, 'tx.jsonl'), '--log-file', join(dir, 'log')], { cwd: dir });
  assert.equal((await tx.exited).code, 0, tx.stderr());
  await sleep(400);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  const got = finalStats(join(dir, 'rx.jsonl'));
  assert.equal(got.received, finalStats(join(dir, 'tx.jsonl')).sent);
  assert.equal(got.rejected, 0);
});

test('ffmpeg srtp:// (-srtp_out_suite/-srtp_out_params) → streamer receive --key', async (t) => {
  if (!requireTool(t, 'ffmpeg')) return;
  const dir = tmpDir();
  const key = newKey();
  const port = await freePortPair();
  const rx = streamer(['receive', '--headless', '--port', String(port), '--key', key, '--jitter-ms', '200', '--sink', `file:${join(dir, 'out.wav')}`, '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'log')], { cwd: dir });
  await rx.waitFor('listening on', 30_000);
  const ff = tool(
    'ffmpeg',
    ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'sine=frequency=1000:duration=3', '-ar', '44100', '-ac', '1', '-c:a', 'pcm_s16be',
      '-f', 'rtp', '-srtp_out_suite', 'AES_CM_128_HMAC_SHA1_80', '-srtp_out_params', key, `srtp://127.0.0.1:${port}`],
    { cwd: dir },
  );
  assert.equal((await ff.exited).code, 0, ff.stderr());
  await sleep(600);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  const got = finalStats(join(dir, 'rx.jsonl'));
  assert.ok(got.received! > 100, `received ${got.received}`);
  assert.equal(got.rejected, 0);
  assert.equal(got.lost, 0);
  const heard = listen(join(dir, 'out.wav'));
  assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
  assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
});

test('streamer send --key → ffmpeg, key from the SDP a=crypto line', async (t) => {
  if (!requireTool(t, 'ffmpeg')) return;
  const dir = tmpDir();
  const key = newKey();
  const port = await freePortPair();
  const sdp = streamerSync(['sdp', '--port', String(port), '--key', key]);
  writeFileSync(join(dir, 'stream.sdp'), sdp.stdout);
  // ffmpeg's srtp:// input cannot guess the payload format; its SDP input decrypts with the a=crypto key.
  const ff = tool('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-protocol_whitelist', 'file,udp,rtp', '-i', 'stream.sdp', '-t', '2', '-y', 'out.wav'], { cwd: dir });
  await waitForListen('udp', port);
  const tx = streamer(['send', '--headless', '--port', String(port), '--key', key, '--source', 'tone:1000', '--duration', '4', '--log-file', join(dir, 'log')], { cwd: dir });
  const done = await ff.exited;
  await tx.stop();
  assert.equal(done.code, 0, ff.stderr());
  const heard = listen(join(dir, 'out.wav'));
  assert.ok(heard.seconds > 1.9, `${heard.seconds} s`);
  assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
  assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
});

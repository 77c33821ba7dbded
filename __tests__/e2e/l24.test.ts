// L24 (RFC 3190) end to end: the AES67 profile (48 kHz, 1 ms packets) between
// two streamers over loopback unicast, GStreamer's rtpL24depay playing what
// streamer sends, and the codec flags' usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { finalStats, freePort, requireTool, sleep, streamer, streamerSync, tmpDir } from '../helpers/cli.js';
import { listen, tool, waitForListen } from '../helpers/interop.js';

test('AES67 profile: L24/48000 stereo in 1 ms packets, streamer to streamer over loopback', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const fmt = ['--codec', 'l24', '--rate', '48000', '--channels', '2'];
  const rx = streamer(
    ['receive', '--headless', ...fmt, '--port', String(port), '--jitter-ms', '60', '--sink', `file:${join(dir, 'out.wav')}`, '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'rx.log')],
    { cwd: dir },
  );
  await rx.waitFor('listening on', 30_000);
  const tx = streamer(
    ['send', '--headless', ...fmt, '--frame-ms', '1', '--port', String(port), '--source', 'tone:1000', '--duration', '3', '--stats-json', join(dir, 'tx.jsonl'), '--log-file', join(dir, 'tx.log')],
    { cwd: dir },
  );
  assert.equal((await tx.exited).code, 0, tx.stderr());
  assert.match(tx.stderr(), /L24 48000 Hz stereo, 1 ms frames/);
  await sleep(500);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  const stats = finalStats(join(dir, 'rx.jsonl'));
  const sent = finalStats(join(dir, 'tx.jsonl'));
  assert.equal(stats.codec as unknown, 'l24');
  assert.equal(sent.codec as unknown, 'l24');
  assert.equal(stats.malformed, 0);
  // 1 ms a packet: 1000 packets a second, each 48 frames × 2 channels × 3 bytes.
  assert.ok(sent.sent! >= 2900, `sent ${sent.sent}`);
  assert.equal(sent.bytes, sent.sent! * (12 + 48 * 2 * 3));
  assert.ok(stats.received! >= sent.sent! * 0.99, `received ${stats.received} of ${sent.sent}`);
  const heard = listen(join(dir, 'out.wav'));
  assert.deepEqual(heard.format, { rate: 48000, channels: 2 }); // recordings stay 16-bit PCM
  assert.ok(heard.seconds > 2.5, `${heard.seconds} s`);
  assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
  assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
});

test('streamer send --codec l24 → GStreamer (udpsrc caps from `streamer sdp` ! rtpL24depay)', async (t) => {
  if (!requireTool(t, 'gst-launch-1.0')) return;
  const dir = tmpDir();
  const port = await freePort();
  const flags = ['--codec', 'l24', '--rate', '48000', '--channels', '2', '--port', String(port)];
  const sdp = streamerSync(['sdp', ...flags]);
  assert.equal(sdp.code, 0, sdp.stderr);
  const m = /^a=rtpmap:(\d+) (L24)\/(\d+)\/(\d+)/m.exec(sdp.stdout);
  assert.ok(m, sdp.stdout);
  const caps = `application/x-rtp,media=audio,clock-rate=${m[3]},encoding-name=${m[2]},channels=${m[4]},payload=${m[1]}`;
  const out = join(dir, 'out.wav');
  // 10 ms frames of L24 stereo are 2880 bytes: each goes as three packets of 160 frames.
  const gst = tool('gst-launch-1.0', ['-q', '-e', 'udpsrc', `port=${port}`, 'num-buffers=300', `caps=${caps}`, '!', 'rtpL24depay', '!', 'audioconvert', '!', 'audio/x-raw,format=S16LE', '!', 'wavenc', '!', 'filesink', `location=${out}`], { cwd: dir });
  await waitForListen('udp', port);
  const tx = streamer(['send', '--headless', ...flags, '--source', 'tone:1000', '--duration', '6', '--log-file', join(dir, 'log')], { cwd: dir });
  const done = await gst.exited;
  await tx.stop();
  assert.equal(done.code, 0, gst.stderr());
  const heard = listen(out);
  assert.deepEqual(heard.format, { rate: 48000, channels: 2 });
  assert.equal(heard.pcm.length, 300 * 160 * 2);
  assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
  assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
});

for (const [args, pattern] of [
  [['send', '--bitrate', '64'], /--bitrate 64: only --codec opus has a bitrate/],
  [['send', '--codec', 'l24', '--bitrate', '64'], /--bitrate 64: only --codec opus/],
  [['send', '--frame-ms', '1'], /--frame-ms 1: 1 ms packets are for --codec l24/],
  [['send', '--codec', 'opus', '--frame-ms', '1'], /--frame-ms 1: Opus frames are 10, 20, 40 or 60 ms/],
  [['send', '--codec', 'opus', '--frame-ms', '25'], /--frame-ms 25: Opus frames are 10, 20, 40 or 60 ms/],
  [['receive', '--codec', 'mp3'], /--codec mp3: must be l16, l24 or opus/],
  [['sdp', '--codec', 'opus', '--bitrate', '1000'], /--bitrate 1000: must be kbit\/s from 6 to 510/],
  [['send', '--no-fec'], /--no-fec: only --codec opus has in-band FEC/],
] as const) {
  test(`bad codec usage is one line and exit 2: ${args.join(' ')}`, () => {
    const r = streamerSync([...args, '--headless', '--source', 'tone', '--sink', 'null']);
    assert.equal(r.code, 2, r.stderr);
    const first = r.stderr.split('\n')[0]!;
    assert.match(first, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /); // no stack trace
  });
}

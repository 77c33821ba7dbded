// ffmpeg at the other end, both ways: the wire format is standard RTP/L16.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finalStats, requireTool, sleep, streamer, streamerSync, tmpDir } from '../helpers/cli.js';
import { freePortPair, listen, tool, waitForListen } from '../helpers/interop.js';

const FF = ['-hide_banner', '-nostdin', '-loglevel', 'error'];

/** ffmpeg sends a `seconds` long sine, in real time, as RTP/L16. */
function ffmpegSends(dir: string, url: string, hz: number, rate: number, channels: number, seconds = 3, extra: string[] = []) {
  return tool(
    'ffmpeg',
    [...FF, '-re', '-f', 'lavfi', '-i', `sine=frequency=${hz}:duration=${seconds}`, '-ar', String(rate), '-ac', String(channels), '-c:a', 'pcm_s16be', '-f', 'rtp', ...extra, url],
    { cwd: dir },
  );
}

async function receiveFromFfmpeg(rate: number, channels: number, rxFlags: (dir: string, port: number) => string[]) {
  const dir = tmpDir();
  const port = await freePortPair();
  const rx = streamer(
    ['receive', '--headless', '--jitter-ms', '200', '--sink', `file:${join(dir, 'out.wav')}`, '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'log'), ...rxFlags(dir, port)],
    { cwd: dir },
  );
  await rx.waitFor('listening on', 30_000);
  const ff = ffmpegSends(dir, `rtp://127.0.0.1:${port}`, 1000, rate, channels);
  const done = await ff.exited;
  assert.equal(done.code, 0, ff.stderr());
  await sleep(600); // the 200 ms playout delay, and then some
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  return { dir, stats: finalStats(join(dir, 'rx.jsonl')), heard: listen(join(dir, 'out.wav')), stderr: rx.stderr() };
}

test('ffmpeg → streamer receive: 44.1 kHz mono (static PT 11)', async (t) => {
  if (!requireTool(t, 'ffmpeg')) return;
  const { stats, heard } = await receiveFromFfmpeg(44100, 1, (_, port) => ['--port', String(port)]);
  assert.deepEqual(heard.format, { rate: 44100, channels: 1 });
  assert.equal(stats.lost, 0);
  assert.equal(stats.malformed, 0);
  assert.ok(stats.received! > 100, `received ${stats.received}`);
  assert.ok(heard.seconds > 2.5, `${heard.seconds} s played`);
  assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
  assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
});

test('ffmpeg → streamer receive: 48 kHz stereo on a dynamic PT, format from --rate/--channels', async (t) => {
  if (!requireTool(t, 'ffmpeg')) return;
  const { stats, heard } = await receiveFromFfmpeg(48000, 2, (_, port) => ['--port', String(port), '--rate', '48000', '--channels', '2']);
  assert.deepEqual(heard.format, { rate: 48000, channels: 2 });
  assert.equal(stats.lost, 0);
  assert.equal(stats.malformed, 0);
  assert.ok(heard.seconds > 2.5, `${heard.seconds} s played`);
  assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
  assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
});

test('ffmpeg → streamer receive: 48 kHz stereo, format and port from --sdp', async (t) => {
  if (!requireTool(t, 'ffmpeg')) return;
  let sdpPort = 0;
  const { stats, heard, stderr } = await receiveFromFfmpeg(48000, 2, (dir, port) => {
    sdpPort = port;
    // The SDP ffmpeg itself prints for this stream (PT 97); no --port, --rate or --channels.
    const sdp = `v=0\no=- 0 0 IN IP4 127.0.0.1\ns=No Name\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio ${port} RTP/AVP 97\nb=AS:1536\na=rtpmap:97 L16/48000/2\n`;
    writeFileSync(join(dir, 'ff.sdp'), sdp);
    return ['--sdp', join(dir, 'ff.sdp')];
  });
  assert.ok(stderr.includes(`listening on UDP 0.0.0.0:${sdpPort}`), stderr);
  assert.deepEqual(heard.format, { rate: 48000, channels: 2 });
  assert.equal(stats.lost, 0);
  assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
  assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
});

/** ffmpeg receives into out.wav for `seconds`; streamer sends a tone to it. */
async function ffmpegReceives(input: string[], send: string[], dir: string, port: number) {
  const out = join(dir, 'out.wav');
  const ff = tool('ffmpeg', [...FF, ...input, '-t', '2', '-y', out], { cwd: dir });
  await waitForListen('udp', port);
  const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone:1000', '--duration', '4', '--log-file', join(dir, 'log'), ...send], { cwd: dir });
  const done = await ff.exited;
  await tx.stop();
  assert.equal(done.code, 0, ff.stderr());
  return listen(out);
}

test('streamer send → ffmpeg with rtp:// alone (PT 11 says 44.1 kHz mono)', async (t) => {
  if (!requireTool(t, 'ffmpeg')) return;
  const dir = tmpDir();
  const port = await freePortPair();
  const heard = await ffmpegReceives(['-i', `rtp://127.0.0.1:${port}`], [], dir, port);
  assert.deepEqual(heard.format, { rate: 44100, channels: 1 });
  assert.ok(heard.seconds > 1.9, `${heard.seconds} s`);
  assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
  assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
});

test('streamer send → ffmpeg with the SDP from `streamer sdp` (48 kHz stereo)', async (t) => {
  if (!requireTool(t, 'ffmpeg')) return;
  const dir = tmpDir();
  const port = await freePortPair();
  const flags = ['--port', String(port), '--rate', '48000', '--channels', '2'];
  const sdp = streamerSync(['sdp', ...flags]);
  assert.equal(sdp.code, 0, sdp.stderr);
  assert.match(sdp.stdout, /a=rtpmap:96 L16\/48000\/2/);
  writeFileSync(join(dir, 'stream.sdp'), sdp.stdout);
  const heard = await ffmpegReceives(['-protocol_whitelist', 'file,udp,rtp', '-i', 'stream.sdp'], ['--rate', '48000', '--channels', '2'], dir, port);
  assert.deepEqual(heard.format, { rate: 48000, channels: 2 });
  assert.ok(heard.seconds > 1.9, `${heard.seconds} s`);
  assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
  assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
  // Both channels carry the tone.
  const right = heard.pcm.filter((_, i) => i % 2 === 1);
  assert.ok(right.some((v) => Math.abs(v) > 1000));
});

test('an SDP streamer cannot play is one usage error naming the file', () => {
  const dir = tmpDir();
  writeFileSync(join(dir, 'g722.sdp'), 'v=0\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 G722/8000/1\n');
  const r = streamerSync(['receive', '--headless', '--sdp', 'g722.sdp', '--sink', 'null'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^streamer: --sdp g722\.sdp: a=rtpmap:96 G722\/8000\/1: encoding G722 is not L16, L24 or Opus/);
  const missing = streamerSync(['receive', '--headless', '--sdp', 'none.sdp', '--sink', 'null'], { cwd: dir });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--sdp none\.sdp: cannot read it/);
});

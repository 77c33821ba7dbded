// Opus (RFC 7587) against the real programs, both ways, mono and stereo:
// ffmpeg's libopus RTP played through `streamer receive --sdp` (its own SDP
// file), and what `streamer send --codec opus` sends decoded by ffmpeg and by
// GStreamer (rtpopusdepay ! opusdec) from what `streamer sdp --codec opus` says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finalStats, requireTool, sleep, streamer, streamerSync, tmpDir } from '../helpers/cli.js';
import { freePortPair, listen, tool, waitForListen } from '../helpers/interop.js';

const FF = ['-hide_banner', '-nostdin', '-loglevel', 'error'];

/** ffmpeg's Opus RTP line: a 1 kHz sine for `seconds`, in real time. */
function ffmpegOpusArgs(channels: number, seconds: number, port: number, sdpFile: string): string[] {
  return [...FF, '-re', '-f', 'lavfi', '-i', `sine=frequency=1000:duration=${seconds}`, '-ac', String(channels), '-c:a', 'libopus', '-b:a', channels === 2 ? '96k' : '64k', '-f', 'rtp', '-sdp_file', sdpFile, `rtp://127.0.0.1:${port}`];
}

for (const channels of [1, 2] as const) {
  test(`ffmpeg -c:a libopus -f rtp -sdp_file → streamer receive --sdp (${channels === 1 ? 'mono' : 'stereo'})`, async (t) => {
    if (!requireTool(t, 'ffmpeg')) return;
    const dir = tmpDir();
    const port = await freePortPair();
    // ffmpeg writes its SDP as it starts: a first, short run makes the file the receiver starts from (the same line, the same port).
    const first = tool('ffmpeg', ffmpegOpusArgs(channels, 0.05, port, 'ff.sdp'), { cwd: dir });
    assert.equal((await first.exited).code, 0, first.stderr());
    const sdp = readFileSync(join(dir, 'ff.sdp'), 'utf8');
    assert.match(sdp, /a=rtpmap:97 opus\/48000\/2/);
    const rx = streamer(
      ['receive', '--headless', '--sdp', 'ff.sdp', '--jitter-ms', '100', '--sink', `file:${join(dir, 'out.wav')}`, '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'log')],
      { cwd: dir },
    );
    await rx.waitFor('listening on', 30_000);
    const ff = tool('ffmpeg', ffmpegOpusArgs(channels, 3, port, 'ff2.sdp'), { cwd: dir });
    assert.equal((await ff.exited).code, 0, ff.stderr());
    await sleep(600);
    assert.equal((await rx.stop()).code, 0, rx.stderr());
    assert.match(rx.stderr(), new RegExp(`receiving from 127\\.0\\.0\\.1:\\d+: Opus 48000 Hz ${channels === 1 ? 'mono' : 'stereo'}`));
    const stats = finalStats(join(dir, 'rx.jsonl'));
    assert.equal(stats.malformed, 0);
    assert.equal(stats.lost, 0);
    assert.equal(stats.codec as unknown, 'opus');
    const heard = listen(join(dir, 'out.wav'));
    assert.deepEqual(heard.format, { rate: 48000, channels });
    assert.ok(heard.seconds > 2.5, `${heard.seconds} s played`);
    assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
    assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
    if (channels === 2) assert.ok(heard.pcm.some((v, i) => i % 2 === 1 && Math.abs(v) > 1000), 'the right channel carries the tone');
  });

  test(`streamer send --codec opus → ffmpeg, from \`streamer sdp --codec opus\` (${channels === 1 ? 'mono' : 'stereo'})`, async (t) => {
    if (!requireTool(t, 'ffmpeg')) return;
    const dir = tmpDir();
    const port = await freePortPair();
    const flags = ['--codec', 'opus', '--port', String(port), '--channels', String(channels)];
    const sdp = streamerSync(['sdp', ...flags], { cwd: dir });
    assert.equal(sdp.code, 0, sdp.stderr);
    assert.match(sdp.stdout, /a=rtpmap:111 opus\/48000\/2/);
    assert.match(sdp.stdout, new RegExp(`a=fmtp:111 useinbandfec=1; stereo=${channels - 1}; sprop-stereo=${channels - 1}`));
    writeFileSync(join(dir, 'stream.sdp'), sdp.stdout);
    const out = join(dir, 'out.wav');
    const ff = tool('ffmpeg', [...FF, '-protocol_whitelist', 'file,udp,rtp', '-i', 'stream.sdp', '-t', '2', '-y', out], { cwd: dir });
    await waitForListen('udp', port);
    // --rate 44100 on purpose: the encoder's input is resampled to Opus's 48 kHz. 8 s: ffmpeg's -t 2 ends it sooner,
    // but a slow ffmpeg start on a loaded box must not meet the sender's BYE first.
    const tx = streamer(['send', '--headless', ...flags, '--rate', '44100', '--source', 'tone:1000', '--duration', '8', '--log-file', join(dir, 'log')], { cwd: dir });
    const done = await ff.exited;
    await tx.stop();
    assert.equal(done.code, 0, ff.stderr());
    const heard = listen(out);
    assert.equal(heard.format.rate, 48000);
    if (channels === 1) {
      // ffmpeg opens every opus/48000/2 as two channels; a mono stream comes out as the same samples on both.
      const ch = heard.format.channels;
      assert.ok(ch === 1 || heard.pcm.every((v, i) => i % 2 === 1 || v === heard.pcm[i + 1]), 'a mono stream: both channels the same');
    } else assert.equal(heard.format.channels, 2);
    assert.ok(heard.seconds > 1.9, `${heard.seconds} s`);
    assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
    assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
  });

  test(`streamer send --codec opus → GStreamer rtpopusdepay ! opusdec, caps from \`streamer sdp\` (${channels === 1 ? 'mono' : 'stereo'})`, async (t) => {
    if (!requireTool(t, 'gst-launch-1.0')) return;
    const dir = tmpDir();
    const port = await freePortPair();
    const flags = ['--codec', 'opus', '--port', String(port), '--channels', String(channels)];
    const sdp = streamerSync(['sdp', ...flags], { cwd: dir });
    assert.equal(sdp.code, 0, sdp.stderr);
    // The SDP's lines as RTP caps (what a gst SDP demuxer would make of them).
    const pt = /^m=audio \d+ RTP\/AVP (\d+)/m.exec(sdp.stdout)![1]!;
    const [enc, clock] = new RegExp(`^a=rtpmap:${pt} ([^/]+)/(\\d+)`, 'm').exec(sdp.stdout)!.slice(1);
    const fmtp = new RegExp(`^a=fmtp:${pt} (.+)$`, 'm').exec(sdp.stdout)![1]!.trim().split(/;\s*/).map((kv) => kv.replace('=', '=(string)')).join(',');
    const caps = `application/x-rtp,media=audio,clock-rate=${clock},encoding-name=${enc!.toUpperCase()},payload=${pt},${fmtp}`;
    const out = join(dir, 'out.wav');
    const gst = tool('gst-launch-1.0', ['-q', '-e', 'udpsrc', `port=${port}`, 'num-buffers=100', `caps=${caps}`, '!', 'rtpjitterbuffer', '!', 'rtpopusdepay', '!', 'opusdec', '!', 'audioconvert', '!', 'wavenc', '!', 'filesink', `location=${out}`], { cwd: dir });
    await waitForListen('udp', port);
    const tx = streamer(['send', '--headless', ...flags, '--source', 'tone:1000', '--duration', '6', '--log-file', join(dir, 'log')], { cwd: dir });
    const done = await gst.exited;
    await tx.stop();
    assert.equal(done.code, 0, gst.stderr());
    const heard = listen(out);
    assert.equal(heard.format.rate, 48000);
    assert.equal(heard.format.channels, channels);
    assert.ok(heard.seconds > 1.5, `${heard.seconds} s`);
    assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
    assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
  });
}

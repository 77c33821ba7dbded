// GStreamer at the other end: RTP/L16 over UDP, and over TCP framed per RFC 4571
// (rtpstreampay / rtpstreamdepay), both ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { finalStats, freePort, requireTool, sleep, streamer, tmpDir } from '../helpers/cli.js';
import { listen, tool, waitForListen } from '../helpers/interop.js';

const CAPS = 'media=audio,clock-rate=44100,encoding-name=L16,channels=1,payload=11';

/** A live 1000 Hz tone, 441 samples (10 ms) a buffer, as RTP/L16 PT 11. */
const gstTone = (buffers: number): string[] => [
  '-q',
  'audiotestsrc', 'is-live=true', 'freq=1000', `num-buffers=${buffers}`, 'samplesperbuffer=441',
  '!', 'audio/x-raw,format=S16BE,rate=44100,channels=1',
  '!', 'rtpL16pay', 'pt=11',
];

/** A GStreamer receiver: `source(port)` (up to RTP packets) → depayload → WAV, listening before it returns. */
async function gstToWav(protocol: 'udp' | 'tcp', source: (port: number) => string[]) {
  const dir = tmpDir();
  const port = await freePort();
  const out = join(dir, 'out.wav');
  const gst = tool('gst-launch-1.0', ['-q', '-e', ...source(port), '!', 'rtpL16depay', '!', 'audioconvert', '!', 'wavenc', '!', 'filesink', `location=${out}`], { cwd: dir });
  await waitForListen(protocol, port);
  return { dir, port, out, gst };
}

async function receiveFromGst(protocol: 'udp' | 'tcp', sink: string[]) {
  const dir = tmpDir();
  const port = await freePort();
  const rx = streamer(
    ['receive', '--headless', '--protocol', protocol, '--port', String(port), '--jitter-ms', '200', '--sink', `file:${join(dir, 'out.wav')}`, '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'log')],
    { cwd: dir },
  );
  await rx.waitFor('listening on', 30_000);
  const gst = tool('gst-launch-1.0', [...gstTone(300), '!', ...sink.map((s) => s.replace('PORT', String(port)))], { cwd: dir });
  const done = await gst.exited;
  assert.equal(done.code, 0, gst.stderr());
  await sleep(600);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  return { stats: finalStats(join(dir, 'rx.jsonl')), heard: listen(join(dir, 'out.wav')) };
}

test('GStreamer → streamer receive over UDP (rtpL16pay ! udpsink)', async (t) => {
  if (!requireTool(t, 'gst-launch-1.0')) return;
  const { stats, heard } = await receiveFromGst('udp', ['udpsink', 'host=127.0.0.1', 'port=PORT']);
  assert.equal(stats.received, 300);
  assert.equal(stats.lost, 0);
  assert.equal(stats.malformed, 0);
  assert.deepEqual(heard.format, { rate: 44100, channels: 1 });
  assert.ok(heard.seconds > 2.5, `${heard.seconds} s played`);
  assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
  assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
});

test('GStreamer → streamer receive over TCP, RFC 4571 (rtpstreampay ! tcpclientsink)', async (t) => {
  if (!requireTool(t, 'gst-launch-1.0')) return;
  const { stats, heard } = await receiveFromGst('tcp', ['rtpstreampay', '!', 'tcpclientsink', 'host=127.0.0.1', 'port=PORT']);
  assert.equal(stats.received, 300);
  assert.equal(stats.lost, 0);
  assert.equal(stats.malformed, 0);
  assert.ok(heard.seconds > 2.5, `${heard.seconds} s played`);
  assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
  assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
});

test('streamer send → GStreamer over TCP, RFC 4571 (tcpserversrc ! rtpstreamdepay)', async (t) => {
  if (!requireTool(t, 'gst-launch-1.0')) return;
  const { dir, port, out, gst } = await gstToWav('tcp', (port) => ['tcpserversrc', 'host=127.0.0.1', `port=${port}`, '!', `application/x-rtp-stream,${CAPS}`, '!', 'rtpstreamdepay']);
  const tx = streamer(['send', '--headless', '--protocol', 'tcp', '--port', String(port), '--source', 'tone:1000', '--duration', '3', '--stats-json', join(dir, 'tx.jsonl'), '--log-file', join(dir, 'log')], { cwd: dir });
  assert.equal((await tx.exited).code, 0, tx.stderr());
  // tcpserversrc ends the stream (EOS) when its one client leaves.
  assert.equal((await gst.exited).code, 0, gst.stderr());
  const sent = finalStats(join(dir, 'tx.jsonl'));
  const heard = listen(out);
  assert.deepEqual(heard.format, { rate: 44100, channels: 1 });
  assert.equal(heard.pcm.length, sent.sent! * 441, 'every packet sent was played');
  assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
  assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
});

test('streamer send → GStreamer over UDP (udpsrc caps=… ! rtpL16depay)', async (t) => {
  if (!requireTool(t, 'gst-launch-1.0')) return;
  // udpsrc never ends by itself: num-buffers stops it after 200 packets.
  const { dir, port, out, gst } = await gstToWav('udp', (port) => ['udpsrc', `port=${port}`, 'num-buffers=200', `caps=application/x-rtp,${CAPS}`]);
  const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone:1000', '--duration', '6', '--log-file', join(dir, 'log')], { cwd: dir });
  const done = await gst.exited;
  await tx.stop();
  assert.equal(done.code, 0, gst.stderr());
  const heard = listen(out);
  assert.equal(heard.pcm.length, 200 * 441);
  assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
  assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
});

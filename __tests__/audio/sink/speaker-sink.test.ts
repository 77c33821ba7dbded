// The speaker sink's bookkeeping against a fake device stream: how much
// audio it keeps queued for the worker (each buffer of it is mouth-to-ear
// delay), what it sends when the device takes over, and what a starved
// device costs. The real worker and PulseAudio: ../device/device-adapters.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import pino from 'pino';
import type { DeviceStreamEvents, DeviceStreamOptions } from '../../../src/audio/device/device-stream.js';
import { SpeakerSink } from '../../../src/audio/sink/speaker-sink.js';

const RATE = 44100;
const CHUNK = 441; // 10 ms

class FakeStream extends EventEmitter<DeviceStreamEvents> {
  readonly sent: Int16Array[] = [];
  started = false;
  constructor(readonly opts: DeviceStreamOptions) {
    super();
  }
  get workerPid(): number | undefined {
    return undefined;
  }
  start(): void {
    this.started = true;
  }
  async stop(): Promise<void> {}
  send(pcm: Int16Array): void {
    this.sent.push(pcm);
  }
  sentFrames(): number {
    return this.sent.reduce((n, p) => n + p.length, 0);
  }
}

/** A started sink on a fake stream whose device is up and flowing; pulls return a constant 1000. */
async function flowingSink(now?: () => number): Promise<{ sink: SpeakerSink; stream: FakeStream; pulls: Array<{ frames: number; audible: boolean | undefined }> }> {
  let stream: FakeStream | undefined;
  const sink = new SpeakerSink({ frameMs: 10, device: undefined, log: pino({ level: 'silent' }), openStream: (o) => (stream = new FakeStream(o)), ...(now ? { now } : {}) });
  const pulls: Array<{ frames: number; audible: boolean | undefined }> = [];
  await sink.start({ rate: RATE, channels: 1 }, (frames, audible) => {
    pulls.push({ frames, audible });
    return { pcm: new Int16Array(frames).fill(1000), playing: true, underrun: false, tailFrames: 0 };
  });
  assert.ok(stream?.started);
  assert.equal(stream.opts.chunkFrames, CHUNK, 'device buffers of 10 ms');
  const device = { id: 2, name: 'default', hostApi: 'ALSA', inputChannels: 2, outputChannels: 2, defaultRate: RATE };
  stream.emit('up', { device, format: { rate: RATE, channels: 1 }, chunkFrames: CHUNK });
  pulls.length = 0; // the start-up pacer's pulls (none yet: it runs on timers) are not the device's
  stream.emit('flowing');
  return { sink, stream, pulls };
}

test('the speaker keeps 20 ms queued for the device, and takes over with 10 ms of silence and one buffer of audio', async () => {
  const { sink, stream, pulls } = await flowingSink();
  try {
    // 20 ms in flight: one buffer of silence (what the device played until now), one pulled from the jitter buffer.
    assert.equal(stream.sentFrames(), 2 * CHUNK, `frames queued for the device: ${stream.sentFrames()} (20 ms = ${2 * CHUNK})`);
    assert.ok(stream.sent[0]!.every((x) => x === 0), 'the first buffer is silence');
    assert.ok(stream.sent[1]!.every((x) => x === 1000), 'the second is the jitter buffer’s');
    assert.deepEqual(pulls, [{ frames: CHUNK, audible: undefined }]);
    // Each buffer the device takes pulls exactly one more: the queue stays at 20 ms.
    for (let i = 0; i < 50; i++) {
      stream.emit('consumed', CHUNK, 0);
      assert.equal(stream.sentFrames() - (i + 1) * CHUNK, 2 * CHUNK, `in flight after ${i + 1} buffers taken`);
    }
    assert.equal(pulls.length, 51);
    assert.equal(sink.underruns, 0);
  } finally {
    await sink.stop();
  }
});

test('a starved device is one underrun per run of silence, and the audio it replaced is pulled unheard so the delay stays', async () => {
  const { sink, stream, pulls } = await flowingSink();
  try {
    // The worker had nothing for three buffers in a row (this process stalled), then audio again.
    for (let i = 0; i < 3; i++) stream.emit('consumed', 0, CHUNK);
    stream.emit('consumed', CHUNK, 0);
    stream.emit('consumed', 0, CHUNK); // a new run of silence: a second underrun
    assert.equal(sink.underruns, 2);
    const dropped = pulls.filter((p) => p.audible === false);
    assert.deepEqual(dropped.map((p) => p.frames), [CHUNK, CHUNK, CHUNK, CHUNK], 'each starved buffer’s audio is skipped');
    // A starved buffer took none of what was sent (it is still on its way): only the one real buffer is refilled.
    assert.equal(stream.sentFrames() - CHUNK, 2 * CHUNK, `sent ${stream.sentFrames()} frames, 1 buffer taken`);
    // PortAudio's own underflow counts too.
    stream.emit('underflow');
    assert.equal(sink.underruns, 3);
  } finally {
    await sink.stop();
  }
});

test('after a PortAudio underflow, the silence the device played of its own (its takes fell behind and stayed) is skipped unheard', async () => {
  let t = 0;
  const { sink, stream, pulls } = await flowingSink(() => t);
  try {
    const take = (): void => void stream.emit('consumed', CHUNK, 0);
    for (; t <= 1000; t += 10) take();
    // 60 ms from one take to the next (five buffers' time missing), the underflow reported, then on at its clock.
    t += 50;
    stream.emit('underflow');
    for (; t <= 1500; t += 10) take();
    const dropped = pulls.filter((p) => p.audible === false).map((p) => p.frames);
    assert.deepEqual(dropped, [5 * CHUNK], `frames skipped unheard: ${dropped.join(' ')} (50 ms = ${5 * CHUNK})`);
    assert.equal(sink.underruns, 1);
  } finally {
    await sink.stop();
  }
});

test('a device that stalls and catches up in a bunch after an underflow report loses nothing: no skip', async () => {
  let t = 0;
  const { sink, stream, pulls } = await flowingSink(() => t);
  try {
    const take = (): void => void stream.emit('consumed', CHUNK, 0);
    for (; t <= 1000; t += 10) take();
    t += 50;
    stream.emit('underflow');
    for (let i = 0; i < 6; i++) take(); // the six buffers due by now, at once
    for (t += 10; t <= 1500; t += 10) take();
    assert.deepEqual(pulls.filter((p) => p.audible === false), []);
  } finally {
    await sink.stop();
  }
});

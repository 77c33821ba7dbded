// The receiver's quality figures on an injected clock: packets built by hand, so the glitches, bursts and history are known exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Receiver } from '../../src/session/receiver.js';
import type { Peer } from '../../src/net/transport/udp-transport.js';
import { remoteMos } from '../../src/session/stream-quality.js';
import { QuietSink } from '../helpers/quiet-sink.js';
import type { AudioFormat } from '../../src/shared/audio-format.js';
import type { Pull } from '../../src/audio/sink/sink.js';
import { silentRtp } from '../helpers/silent-rtp.js';

/** A sink whose clock is the test's: it pulls 10 ms when told, as a device would every 10 ms. */
class StepSink extends QuietSink {
  pull: Pull | undefined;
  override async start(_f: AudioFormat, pull: Pull): Promise<void> {
    this.pull = pull;
  }
}

const A: Peer = { address: '192.0.2.1', port: 5004 };

const rtp = silentRtp;

function setup() {
  const clock = { now: 0 };
  const sink = new StepSink('test');
  const rx = new Receiver(
    { format: { rate: 44100, channels: 1 }, jitter: { mode: 'fixed', ms: 40 }, now: () => clock.now },
    sink,
    pino({ level: 'silent' }),
  );
  const stream = async (ssrc: number, seq0: number, count: number, drop: number[] = []): Promise<void> => {
    for (let i = 0; i < count; i++) {
      if (!drop.includes(i)) rx.handlePacket(rtp(ssrc, seq0 + i), A);
      if (i === 0) await new Promise(setImmediate); // the sink starts (its start is a promise)
      clock.now += 10;
      sink.pull?.(441);
    }
  };
  return { clock, rx, stream };
}

test('before any stream: no MOS, no glitches, and the history has no jitter or buffer yet', () => {
  const { rx } = setup();
  const s = rx.sample(0);
  assert.equal(s.mos, null);
  assert.deepEqual(s.glitches, { network: 0, late: 0, underrun: 0, total: 0 });
  assert.equal(s.recovered, 0);
  assert.deepEqual(s.gaps.at(-1), { received: 0, lost: 0, late: 0, reordered: 0, duplicates: 0, concealedMs: 0, jitterMs: null, bufferMs: null, targetMs: 40, underruns: 0 });
});

test('a single loss and a burst of three: two network glitches, bursts by length, a MOS below the clean one', async () => {
  const { rx, stream } = setup();
  await stream(0x1234, 1000, 400, [50, 200, 201, 202]);
  await rx.stop(); // the stream's last packets settle
  const s = rx.sample(0);
  assert.equal(s.lost, 4);
  assert.deepEqual(s.glitches, { network: 2, late: 0, underrun: 0, total: 2 });
  assert.deepEqual(s.lossBursts.lengths.slice(0, 4), [1, 0, 1, 0]);
  assert.ok(s.mos !== null && s.mos < 4.41 && s.mos > 3.5, `mos ${s.mos}`);
  // Packets exactly 10 ms apart: every arrival's |D| is in the first bin.
  assert.deepEqual(s.jitterHistogram.counts, [395, 0, 0, 0, 0, 0, 0]);
  const last = s.gaps.at(-1)!;
  assert.equal(last.jitterMs, 0);
  assert.equal(last.targetMs, 40);
});

test('a clean stream: MOS 4.41 (R 93.2: PCM, a short delay, nothing lost)', async () => {
  const { rx, stream } = setup();
  await stream(0x1234, 1000, 300);
  const s = rx.sample(0);
  assert.equal(s.mos, 4.41);
  assert.equal(s.glitches.total, 0);
});

test('the history keeps the last 300 seconds', () => {
  const { rx, clock } = setup();
  for (let i = 0; i < 310; i++) {
    clock.now += 1000;
    rx.sample(0);
  }
  assert.equal(rx.sample(0).gaps.length, 300);
});

test("the sender's estimate: null with no report, lower with the receiver's loss and a long round trip", () => {
  const none = { remoteLossPercent: null, remoteJitterMs: null, rttMs: null, reportAgeS: null };
  assert.equal(remoteMos(none), null);
  const clean = remoteMos({ remoteLossPercent: 0, remoteJitterMs: 1, rttMs: 2, reportAgeS: 0.5 });
  assert.equal(clean, 4.41);
  const lossy = remoteMos({ remoteLossPercent: 5, remoteJitterMs: 1, rttMs: 2, reportAgeS: 0.5 })!;
  const far = remoteMos({ remoteLossPercent: 0, remoteJitterMs: 1, rttMs: 500, reportAgeS: 0.5 })!;
  assert.ok(lossy < clean!, `${lossy}`);
  assert.ok(far < clean!, `${far}`);
});
